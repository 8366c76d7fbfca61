package dev.argus.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.TensorLayout;
import dev.argus.imageio.ImageIoImagePreprocessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Hugging Face processor Argus reads, against PIL: {@code tools/testdata/make_pil_reference.py} runs each
 * configuration in {@code tools/testdata/hf-processors} over the shared photos and some synthetic images as
 * transformers documents the processor; here the same configuration goes through {@link HuggingFaceProcessor} and
 * Argus's preprocessing. Every reference is pixel-exact (both decode with libjpeg and resample as Pillow does), so
 * the bar is float rounding: max |diff| under 1e-5 in normalised units, where one grey level is 0.008 or more.
 */
class HuggingFaceFidelityTest {
    private static final double MAX_DIFF = 1e-5;

    private final ImageIoImagePreprocessor preprocessor = new ImageIoImagePreprocessor();

    @TestFactory
    Stream<DynamicTest> everyProcessorMatchesPil() throws IOException {
        Path dir = referenceDir();
        Path index = dir.resolve("index.tsv");
        if (!Files.isRegularFile(index)) {
            fail("The PIL reference tensors are missing (no " + index + "). Generate them with `bash .ci/setup-test-data`.");
        }
        List<DynamicTest> tests = new ArrayList<>();
        java.util.Set<String> configs = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(index)) {
            String[] f = line.split("\t");
            if (line.startsWith("#") || f.length < 5 || !f[4].startsWith("hf:")) {
                continue;
            }
            String config = f[4].substring(3);
            configs.add(config);
            Path tensor = dir.resolve(f[0]);
            Path source = Path.of(f[1]).isAbsolute() ? Path.of(f[1]) : dir.resolve(f[1]);
            tests.add(DynamicTest.dynamicTest(f[0], () -> {
                PreprocessSpec spec = HuggingFaceProcessor.read(HuggingFaceProcessorTest.CONFIGS.resolve(config), TensorLayout.NCHW);
                float[] expected = dev.argus.testkit.Tensors.readF32(tensor);
                float[] actual = preprocessor.preprocess(Files.readAllBytes(source), spec);
                assertThat(actual).hasSameSizeAs(expected);
                double sum = 0, max = 0;
                for (int i = 0; i < actual.length; i++) {
                    double d = Math.abs(actual[i] - expected[i]);
                    sum += d;
                    max = Math.max(max, d);
                }
                System.out.printf("HF fidelity %-58s mean |diff| %.2e  max |diff| %.2e%s%n", f[0], sum / actual.length, max,
                        max < 1e-4 ? "  (pixel-exact)" : "");
                assertThat(max).as("max |diff| for %s", f[0]).isLessThan(MAX_DIFF);
            }));
        }
        // every committed configuration but resnet-50.json (whose references are the ResNet-50 ones) has references
        try (Stream<Path> files = Files.list(HuggingFaceProcessorTest.CONFIGS)) {
            List<String> committed = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.equals("resnet-50.json")).sorted().toList();
            assertThat(configs).as("configurations with PIL references (rerun bash .ci/setup-test-data)")
                    .containsExactlyElementsOf(committed);
        }
        return tests.stream();
    }

    private static Path referenceDir() {
        String configured = System.getProperty("argus.test.data");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of("").toAbsolutePath().resolve("../build/test-data/pil").normalize();
    }
}

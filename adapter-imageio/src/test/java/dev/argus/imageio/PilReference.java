package dev.argus.imageio;

import static org.assertj.core.api.Assertions.fail;

import dev.argus.domain.ChannelOrder;
import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.ResizeMode;
import dev.argus.domain.TensorLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The reference tensors written by {@code tools/testdata/make_pil_reference.py}, read from its {@code index.tsv}. */
final class PilReference {
    /** Same as the script's stretch reference: resize straight to 299x199. */
    static final PreprocessSpec STRETCH = new PreprocessSpec(299, 199, ResizeMode.STRETCH, 0, 1f / 255f,
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, ChannelOrder.RGB, TensorLayout.NCHW);

    record Entry(String name, Path tensor, Path source, int width, int height, PreprocessSpec spec) {
        float[] expected() throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(tensor)).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[bytes.remaining() / 4];
            bytes.asFloatBuffer().get(values);
            return values;
        }
    }

    private PilReference() {
    }

    /** {@code -Dargus.test.data=DIR}, else {@code <repo root>/build/test-data/pil} (tests run in the module dir). */
    static Path directory() {
        String configured = System.getProperty("argus.test.data");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of("").toAbsolutePath().resolve("../build/test-data/pil").normalize();
    }

    static List<Entry> entries() throws IOException {
        Path dir = directory();
        Path index = dir.resolve("index.tsv");
        if (!Files.isRegularFile(index)) {
            // ../shared/images in the hint is optional (docs/README.md, "Optional material outside the repository"):
            // without it the script writes references for its synthetic images only.
            fail("The PIL reference tensors are missing (no " + index + "). Generate them with `bash .ci/setup-test-data`"
                    + " (or /usr/bin/python3 tools/testdata/make_pil_reference.py build/test-data/pil ../shared/images).");
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(index)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f[4].startsWith("hf:")) {
                continue; // a Hugging Face processor's reference: app's HuggingFaceFidelityTest reads its configuration
            }
            PreprocessSpec spec = f[4].equals("stretch") ? STRETCH : PreprocessSpec.resnet50();
            Path source = Path.of(f[1]).isAbsolute() ? Path.of(f[1]) : dir.resolve(f[1]);
            entries.add(new Entry(f[0], dir.resolve(f[0]), source, Integer.parseInt(f[2]), Integer.parseInt(f[3]), spec));
        }
        return entries;
    }
}

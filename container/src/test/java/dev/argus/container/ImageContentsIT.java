package dev.argus.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.testkit.RepoPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the image tar carries beside the application: Argus's LICENSE and NOTICE under /licenses and the image's
 * CycloneDX SBOM under /app/sbom. Reads the layers with tar, without starting a container. Skipped, with the reason
 * printed, where the image tar is missing (built by container/build or -Pcontainer, online: the SBOM plugin does not
 * run under -o).
 */
@Tag("container")
class ImageContentsIT {
    @TempDir
    static Path tmp;

    /** Every file of every layer, by its path in the image (no leading slash). */
    private static final List<String> FILES = new ArrayList<>();

    private static Path root;

    @BeforeAll
    static void unpackTheLayers() throws Exception {
        Path tar = Path.of(System.getProperty("argus.container.tar", "target/jib-image.tar"));
        if (!Files.isRegularFile(tar)) {
            String reason = "no image tar at " + tar + " (build it with container/build)";
            System.out.println("SKIPPED ImageContentsIT: " + reason);
            Assumptions.assumeTrue(false, reason);
        }
        Path archive = Files.createDirectories(tmp.resolve("archive"));
        root = Files.createDirectories(tmp.resolve("root"));
        run("tar", "-xf", tar.toString(), "-C", archive.toString());
        List<Path> layers;
        try (Stream<Path> s = Files.walk(archive)) {
            layers = s.filter(p -> p.toString().endsWith(".tar.gz") || p.endsWith("layer.tar")).toList();
        }
        assertThat(layers).as("layers in " + tar).isNotEmpty();
        for (Path layer : layers) {
            List<String> files = run("tar", "-tzf", layer.toString());
            FILES.addAll(files);
            List<String> wanted = files.stream().filter(f -> f.startsWith("licenses/") || f.startsWith("app/sbom/"))
                    .filter(f -> !f.endsWith("/")).toList();
            if (!wanted.isEmpty()) {
                List<String> extract = new ArrayList<>(List.of("tar", "-xzf", layer.toString(), "-C", root.toString()));
                extract.addAll(wanted);
                run(extract.toArray(String[]::new));
            }
        }
    }

    @Test
    void carriesArgusLicenseAndNotice() throws IOException {
        assertThat(FILES).contains("licenses/LICENSE", "licenses/NOTICE");
        assertThat(Files.readString(root.resolve("licenses/LICENSE"))).contains("Apache License");
        assertThat(Files.readString(root.resolve("licenses/NOTICE")))
                .isEqualTo(Files.readString(RepoPaths.root().resolve("NOTICE")));
    }

    @Test
    void carriesTheSbomOfItsJavaPart() throws IOException {
        assertThat(FILES).as("the SBOM (cyclonedx-maven-plugin skips its goal in an offline build, -o)")
                .contains("app/sbom/argus-image.cdx.json");
        JsonNode bom = new ObjectMapper().readTree(root.resolve("app/sbom/argus-image.cdx.json").toFile());
        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.path("metadata").path("component").path("purl").asText()).startsWith("pkg:maven/dev.argus/container@");
        List<String> purls = new ArrayList<>();
        bom.path("components").forEach(c -> purls.add(c.path("purl").asText()));
        assertThat(purls).as("every jar Jib layered, and ONNX Runtime inside the module's jar")
                .anyMatch(p -> p.startsWith("pkg:maven/dev.argus/app@"))
                .anyMatch(p -> p.startsWith("pkg:maven/com.microsoft.onnxruntime/onnxruntime@"))
                .noneMatch(p -> p.startsWith("pkg:maven/ai.djl.pytorch/pytorch-native-cpu@"));
        long jars = FILES.stream().filter(f -> f.startsWith("app/libs/") && f.endsWith(".jar")).count();
        assertThat(purls).as("one component per jar in /app/libs, and ONNX Runtime").hasSize((int) jars + 1);
    }

    /** Runs GNU tar, fails on a non-zero exit, and returns its standard output's lines. */
    private static List<String> run(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(command));
        args.add(1, "--warning=no-unknown-keyword"); // Jib's PAX headers carry LIBARCHIVE.creationtime
        Process p = new ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines;
        try (var out = p.getInputStream()) {
            lines = new String(out.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
        return lines;
    }
}

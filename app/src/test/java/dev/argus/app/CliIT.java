package dev.argus.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.app.cli.ExitCodes;
import dev.argus.app.cli.Main;
import dev.argus.domain.LabelStyle;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.RepoPaths;
import dev.argus.testkit.TestImages;
import dev.argus.testkit.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code argus} CLI end to end: real engine, real preprocessing, the probe model. */
class CliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }

        List<JsonNode> lines() throws Exception {
            List<JsonNode> l = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    l.add(JSON.readTree(line));
                }
            }
            return l;
        }
    }

    private Run argus(String... args) {
        return argusWithEnv(Map.of(), args);
    }

    private Run argusWithEnv(Map<String, String> extraEnv, String... args) {
        return argus(java.io.InputStream.nullInputStream(), extraEnv, args);
    }

    private Run argus(java.io.InputStream stdin, Map<String, String> extraEnv, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("ARGUS_DATA_DIR", tmp.resolve("data").toString());
        int code = Main.run(args, stdin, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run classifyWithProbe(String... files) {
        List<String> args = new ArrayList<>(List.of("classify", "-q", "--model", TestModels.probeOnnx().toString()));
        args.addAll(List.of(files));
        return argus(args.toArray(String[]::new));
    }

    static List<ProbeCase> probeCases() {
        return ProbeCase.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probeCases")
    void probeImageGivesItsDesignedClassAsCloudflareJson(ProbeCase probe) throws Exception {
        Run r = classifyWithProbe(probe.file().toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        JsonNode env = r.json();
        assertThat(env.get("success").asBoolean()).isTrue();
        assertThat(env.get("errors")).isEmpty();
        assertThat(env.get("messages")).isEmpty();
        assertThat(env.get("result")).hasSize(5);
        assertThat(env.get("result").get(0).get("label").asText()).as(probe.why()).isEqualTo(LabelStyle.CLOUDFLARE.apply(probe.expectedLabel()));
        assertThat(env.get("result").get(0).fieldNames()).toIterable().containsExactly("label", "score");
    }

    @Test
    void modelNameChoosesAModelOfARepositoryByNameOrAliasAndItsDefaultIsTheFirstByName() throws Exception {
        Path repo = tmp.resolve("repo");
        for (String model : List.of("vit-tiny", "mobilenet-v3-small")) {
            Zoo.version(repo.resolve(model).resolve("1"), model);
        }
        Files.writeString(repo.resolve("vit-tiny/model.properties"), "aliases=vit\n");
        Path image = tmp.resolve("noise.png");
        Files.write(image, TestImages.noise(96, 64, 3, "png"));
        String r = "argus.repository=" + repo;

        Run vit = argus("classify", "-q", "-D", r, "--model-name", "VIT", "--label-style", "imagenet", image.toString());
        assertThat(vit.exit()).as(vit.err()).isZero();
        assertThat(vit.json().at("/result/0/label").asText()).startsWith("vit:");
        Run byDefault = argus("classify", "-q", "-D", r, "--label-style", "imagenet", image.toString());
        assertThat(byDefault.exit()).as(byDefault.err()).isZero();
        String label = byDefault.json().at("/result/0/label").asText();
        assertThat(label).as("mobilenet-v3-small, first by name, labels in upper case").doesNotStartWith("vit:")
                .isEqualTo(label.toUpperCase(java.util.Locale.ROOT));

        Run unknown = argus("classify", "-q", "-D", r, "--model-name", "nope", image.toString());
        assertThat(unknown.exit()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(unknown.err()).contains("serves no model 'nope'").contains("vit-tiny (version 1)");
        Run noRepository = argus("classify", "-q", "--model", TestModels.probeOnnx().toString(), "--model-name", "vit", image.toString());
        assertThat(noRepository.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noRepository.err()).contains("set argus.repository");
    }

    @Test
    void topKAndLabelStyleFlagsWork() throws Exception {
        ProbeCase probe = ProbeCase.all().get(0);
        Run r = argus("classify", "-q", "--model", TestModels.probeOnnx().toString(), "--top-k", "3", "--label-style", "imagenet",
                probe.file().toString());
        assertThat(r.exit()).isZero();
        assertThat(r.json().get("result")).hasSize(3);
        assertThat(r.json().get("result").get(0).get("label").asText()).isEqualTo(probe.expectedLabel());
    }

    @Test
    void directoriesGiveOneJsonLinePerFileAndFlagTheBadOnes() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("photos/nested"));
        List<ProbeCase> cases = ProbeCase.all();
        for (ProbeCase c : cases) {
            Files.copy(c.file(), dir.resolve(c.name()));
        }
        Files.write(dir.resolve("zz-not-an-image.png"), TestImages.textFile());
        Files.writeString(dir.resolve("notes.txt"), "ignored: not an image extension");
        Run r = argus("classify", "-q", "--no-progress", "--batch-size", "4", "--model", TestModels.probeOnnx().toString(),
                tmp.resolve("photos").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.SOME_INPUTS_FAILED);
        List<JsonNode> lines = r.lines();
        assertThat(lines).hasSize(cases.size() + 1);
        for (JsonNode line : lines) {
            String name = Path.of(line.get("file").asText()).getFileName().toString();
            if (name.equals("zz-not-an-image.png")) {
                assertThat(line.get("error").get("code").asInt()).isEqualTo(5006);
                assertThat(line.get("error").get("message").asText()).containsIgnoringCase("not a supported image");
            } else {
                ProbeCase c = cases.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
                assertThat(line.get("result").get(0).get("label").asText()).isEqualTo(LabelStyle.CLOUDFLARE.apply(c.expectedLabel()));
            }
        }
        assertThat(r.err()).contains("1 of " + (cases.size() + 1) + " images could not be classified");
    }

    @Test
    void badInputsGiveAClearErrorAndANonZeroExitNeverAStackTrace() throws Exception {
        Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
        bad.put("empty.jpg", new byte[0]);
        bad.put("truncated.jpg", TestImages.truncatedJpeg());
        bad.put("text.png", TestImages.textFile());
        bad.put("bomb.png", TestImages.pngHeaderOnly(100_000, 100_000));
        bad.put("numbers.json", "{\"image\":[137,80,78,256]}".getBytes(StandardCharsets.UTF_8));
        bad.put("strings.json", "{\"image\":[137,\"x\"]}".getBytes(StandardCharsets.UTF_8));
        bad.put("broken.json", "{\"image\":[1,2".getBytes(StandardCharsets.UTF_8));
        Map<String, String> expected = Map.of("empty.jpg", "empty", "truncated.jpg", "truncated", "text.png", "not a supported image",
                "bomb.png", "100000x100000", "numbers.json", "image[3] = 256", "strings.json", "image[1]", "broken.json", "malformed");
        for (var e : bad.entrySet()) {
            Path f = Files.write(tmp.resolve(e.getKey()), e.getValue());
            Run r = classifyWithProbe(f.toString());
            assertThat(r.exit()).as(e.getKey()).isEqualTo(ExitCodes.SOME_INPUTS_FAILED);
            assertThat(r.json().get("success").asBoolean()).isFalse();
            assertThat(r.json().get("result").isNull()).isTrue();
            String message = r.json().get("errors").get(0).get("message").asText();
            assertThat(message).as(e.getKey()).containsIgnoringCase(expected.get(e.getKey()));
            assertThat(r.err()).as(e.getKey()).startsWith("argus: ").doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void aValidCloudflareJsonBodyIsClassifiedLikeTheFile() throws Exception {
        ProbeCase probe = ProbeCase.all().get(0);
        StringBuilder sb = new StringBuilder("{\"image\":[");
        byte[] bytes = probe.bytes();
        for (int i = 0; i < bytes.length; i++) {
            sb.append(i == 0 ? "" : ",").append(bytes[i] & 0xff);
        }
        Path f = Files.writeString(tmp.resolve("body.json"), sb.append("]}"));
        Run r = classifyWithProbe(f.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("result").get(0).get("label").asText()).isEqualTo(LabelStyle.CLOUDFLARE.apply(probe.expectedLabel()));
    }

    @Test
    void dashReadsOneImageFromStandardInputAloneOrAmongFiles() throws Exception {
        List<ProbeCase> cases = ProbeCase.all();
        ProbeCase piped = cases.get(0);
        ProbeCase file = cases.get(1);
        String model = TestModels.probeOnnx().toString();

        Run alone = argus(new java.io.ByteArrayInputStream(piped.bytes()), Map.of(), "classify", "-q", "--model", model, "-");
        assertThat(alone.exit()).as(alone.err()).isZero();
        assertThat(alone.json().at("/result/0/label").asText()).isEqualTo(LabelStyle.CLOUDFLARE.apply(piped.expectedLabel()));

        Run mixed = argus(new java.io.ByteArrayInputStream(piped.bytes()), Map.of(), "classify", "-q", "--no-progress",
                "--model", model, file.file().toString(), "-");
        assertThat(mixed.exit()).as(mixed.err()).isZero();
        List<JsonNode> lines = mixed.lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("file").asText()).isEqualTo(file.file().toString());
        assertThat(lines.get(0).at("/result/0/label").asText()).isEqualTo(LabelStyle.CLOUDFLARE.apply(file.expectedLabel()));
        assertThat(lines.get(1).get("file").asText()).isEqualTo("-");
        assertThat(lines.get(1).at("/result/0/label").asText()).isEqualTo(LabelStyle.CLOUDFLARE.apply(piped.expectedLabel()));
    }

    @Test
    void standardInputOverTheByteLimitIsRefusedClearly() throws Exception {
        ProbeCase probe = ProbeCase.all().get(0);
        byte[] bytes = probe.bytes();
        Run r = argus(new java.io.ByteArrayInputStream(bytes), Map.of(), "classify", "-q", "--model", TestModels.probeOnnx().toString(),
                "-D", "argus.limits.max-bytes=" + (bytes.length - 1), "-");
        assertThat(r.exit()).isEqualTo(ExitCodes.SOME_INPUTS_FAILED);
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.err()).startsWith("argus: stdin: Standard input holds more than " + (bytes.length - 1) + " bytes")
                .doesNotContain("\tat ");
    }

    @Test
    void anUnknownBackendFailsAtStartListingTheValidOnes() {
        Run r = argus("classify", "--backend", "tensorflow", ProbeCase.all().get(0).file().toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(r.err()).contains("argus.backend = 'tensorflow'").contains("Valid backends: onnx, djl-pytorch, djl-tensorflow, tensorrt, grpc, cloudflare").doesNotContain("\tat ");
    }

    @Test
    void aMissingModelFailsAtStartNamingIt() {
        Run r = argus("classify", "--model", tmp.resolve("missing.onnx").toString(), ProbeCase.all().get(0).file().toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(r.err()).contains("missing.onnx").doesNotContain("\tat ");
    }

    @Test
    void offlineWithoutACachedModelSaysWhatToDownloadAndWhere() {
        Run r = argusWithEnv(Map.of("HF_HUB_OFFLINE", "1"), "classify", ProbeCase.all().get(0).file().toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(r.err()).contains("Xenova/resnet-50").contains("model.onnx").contains(tmp.resolve("data").toString())
                .doesNotContain("\tat ");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(argus("classify").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(argus("classify", "--top-k", "many", "x.jpg").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void configCommandShowsSourcesAndRedactsTheToken() {
        Run r = argusWithEnv(Map.of("HF_TOKEN", "hf_topsecret", "ARGUS_INFERENCE_WORKERS", "2"), "config");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("argus.inference.workers = 2    (env ARGUS_INFERENCE_WORKERS)")
                .contains("argus.hub.token = <redacted>").doesNotContain("hf_topsecret");
    }

    @Test
    void theDistributionLauncherRunsAsAProcess() throws Exception {
        Path launcher = RepoPaths.root().resolve("app/target/argus/bin/argus");
        assertThat(launcher).as("built by mvn package before the integration tests").exists();
        ProbeCase probe = ProbeCase.all().get(0);
        Process p = new ProcessBuilder("sh", launcher.toString(), "classify", "-q", "--model", TestModels.probeOnnx().toString(),
                probe.file().toString()).redirectErrorStream(false).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(JSON.readTree(out).get("result").get(0).get("label").asText()).isEqualTo(LabelStyle.CLOUDFLARE.apply(probe.expectedLabel()));
    }

    /** Runs the distribution's launcher with a stand-in Java that prints what it was given. */
    private static String launch(Path dir, Map<String, String> env) throws Exception {
        Path fakeJava = dir.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\necho \"args: $*\"\necho \"arenas: $MALLOC_ARENA_MAX trim: ${MALLOC_TRIM_THRESHOLD_:-unset}\"\n");
        assertThat(fakeJava.toFile().setExecutable(true)).isTrue();
        ProcessBuilder pb = new ProcessBuilder("sh", RepoPaths.root().resolve("app/target/argus/bin/argus").toString(), "version");
        pb.environment().keySet().removeIf(k -> k.equals("ARGUS_JAVA_OPTS") || k.equals("JAVA_TOOL_OPTIONS")
                || k.equals("JDK_JAVA_OPTIONS") || k.startsWith("MALLOC_"));
        pb.environment().putAll(env);
        pb.environment().put("JAVA", fakeJava.toString());
        Process p = pb.redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theLauncherSizesTheHeapAndNativeMemoryUnlessTheCallerDoes(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String sized = launch(dir, Map.of());
        java.util.regex.Matcher heap = java.util.regex.Pattern.compile("-Xmx(\\d+)m ").matcher(sized);
        assertThat(heap.find()).as(sized).isTrue();
        long mb = Long.parseLong(heap.group(1));
        long machineQuarter = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() / 4 / (1 << 20);
        assertThat(mb).isBetween(64L, 1024L).isLessThanOrEqualTo(machineQuarter);
        assertThat(sized).contains("-XX:GCTimeRatio=4").contains("arenas: 2 trim: unset");

        String own = launch(dir, Map.of("ARGUS_JAVA_OPTS", "-Xmx300m", "MALLOC_ARENA_MAX", "4"));
        assertThat(own).contains("args: -Xmx300m -cp ").doesNotContain("GCTimeRatio").contains("arenas: 4 trim: unset");
        assertThat(launch(dir, Map.of("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=60"))).doesNotContain("-Xmx");
        // an initial heap alone must not meet a smaller maximum the launcher adds (the JVM would refuse to start)
        assertThat(launch(dir, Map.of("ARGUS_JAVA_OPTS", "-Xms2g"))).contains("args: -Xms2g -cp ").doesNotContain("-Xmx");
    }

    @Test
    void aPropertiesFileInTheWorkingDirectoryIsNotReadUnlessNamed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // finding 10 of the review: in the container the working directory is the shared, writable data volume
        java.nio.file.Files.writeString(dir.resolve("argus.properties"), "argus.backend=djl-pytorch\n");
        Path launcher = RepoPaths.root().resolve("app/target/argus/bin/argus");
        ProcessBuilder pb = new ProcessBuilder("sh", launcher.toString(), "config").directory(dir.toFile());
        pb.environment().remove("ARGUS_CONFIG");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(out).contains("argus.backend = onnx").doesNotContain("djl-pytorch");
        assertThat(err).contains("Ignoring ./argus.properties");
        Process named = new ProcessBuilder("sh", launcher.toString(), "config", "--config", "argus.properties").directory(dir.toFile()).start();
        assertThat(named.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(named.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("argus.backend = djl-pytorch");
    }
}

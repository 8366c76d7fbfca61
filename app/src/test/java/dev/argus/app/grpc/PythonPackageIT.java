package dev.argus.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyResponse;
import dev.argus.grpc.v1.LabelStyle;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.RepoPaths;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client as a package (clients/python/pyproject.toml, argus-client): its wheel, built offline with Debian's
 * tools from a copy of the checkout, holds stubs generated from proto/argus/v1/argus.proto at build, and once installed
 * its console script answers as the Java client does, with grpcio-tools out of reach. An sdist carries the proto, so a
 * wheel built from it alone has the stubs too. Needs python3-grpcio, python3-grpc-tools, python3-pip,
 * python3-setuptools and python3-wheel (.ci/setup-clients); skipped with the reason printed when one is missing.
 */
class PythonPackageIT {
    private static final String PYTHON = PythonGrpc.PYTHON;
    private static final List<String> STUBS = List.of("argus_client/v1/argus_pb2.py", "argus_client/v1/argus_pb2_grpc.py");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void installedConsoleScriptAgreesWithTheJavaClient() throws Exception {
        PythonGrpc.assumeWheelTools("PythonPackageIT");
        Path wheel = buildWheel(copyOfCheckout(), tmp.resolve("dist"));
        assertThat(entries(wheel)).containsAll(STUBS).contains("argus_client/classify.py");
        assertThat(entry(wheel, "entry_points.txt")).contains("argus-classify = argus_client.classify:main");
        Path site = tmp.resolve("site");
        python(0, null, "-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check", "--target",
                site.toString(), wheel.toString());
        // grpc_tools made unimportable: the installed package must use the stubs it was built with.
        Path block = tmp.resolve("block/grpc_tools");
        Files.createDirectories(block);
        Files.writeString(block.resolve("__init__.py"), "raise ImportError('grpc_tools is out of reach in this test')\n");
        String path = block.getParent() + ":" + site;

        try (ProbeServer probe = ProbeServer.probe()) {
            ManagedChannel channel = Grpc.newChannelBuilder(probe.target(), InsecureChannelCredentials.create()).build();
            try {
                for (ProbeCase c : ProbeCase.all()) {
                    ClassifyResponse java = classify(channel, c, 5, LabelStyle.LABEL_STYLE_CLOUDFLARE);
                    assertAgrees(c, java, run(0, path, site.resolve("bin/argus-classify").toString(), probe.target(),
                            c.file().toString(), "--top-k", "5"));
                }
                ProbeCase first = ProbeCase.all().get(0);
                assertAgrees(first, classify(channel, first, 3, LabelStyle.LABEL_STYLE_IMAGENET), run(0, path, PYTHON,
                        "-m", "argus_client", probe.target(), first.file().toString(), "--top-k", "3", "--label-style", "imagenet"));
                Path text = tmp.resolve("not-an-image.txt");
                Files.writeString(text, "hello");
                String err = run(1, path, site.resolve("bin/argus-classify").toString(), probe.target(), text.toString());
                assertThat(JSON.readTree(err).get("error").get("code").asText()).isEqualTo("INVALID_ARGUMENT");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        assertThat(run(0, path, PYTHON, "-c", "import argus_client.v1.argus_pb2 as m; print(m.__file__)").strip())
                .isEqualTo(site.resolve("argus_client/v1/argus_pb2.py").toString());
    }

    @Test
    void sdistCarriesTheProtoSoAWheelBuiltFromItHasTheStubs() throws Exception {
        PythonGrpc.assumeWheelTools("PythonPackageIT");
        Path project = copyOfCheckout();
        Path sdists = tmp.resolve("sdist");
        ExternalProcess.run(0, new ProcessBuilder(PYTHON, "setup.py", "-q", "sdist", "-d", sdists.toString())
                .directory(project.toFile()));
        Path sdist;
        try (Stream<Path> files = Files.list(sdists)) {
            sdist = files.filter(f -> f.toString().endsWith(".tar.gz")).findFirst().orElseThrow();
        }
        assertThat(run(0, null, "tar", "tzf", sdist.toString())).contains("/proto/argus/v1/argus.proto");
        // Built from the sdist alone: the checkout's proto/ is gone.
        deleteTree(tmp.resolve("checkout/proto"));
        assertThat(entries(buildWheel(sdist, tmp.resolve("dist-from-sdist")))).containsAll(STUBS);
    }

    /** clients/python and proto/argus/v1/argus.proto copied in the checkout's layout, so nothing is built in the repo. */
    private Path copyOfCheckout() throws IOException {
        Path root = RepoPaths.root();
        Path copy = tmp.resolve("checkout");
        Path project = copy.resolve("clients/python");
        Path source = root.resolve("clients/python");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path rel = source.relativize(f);
                String first = rel.getName(0).toString();
                if (first.equals("build") || first.equals("dist") || first.endsWith(".egg-info") || rel.toString().contains("__pycache__")) {
                    continue;
                }
                Files.createDirectories(project.resolve(rel).getParent());
                Files.copy(f, project.resolve(rel));
            }
        }
        Path proto = copy.resolve("proto/argus/v1/argus.proto");
        Files.createDirectories(proto.getParent());
        Files.copy(root.resolve("proto/argus/v1/argus.proto"), proto);
        return project;
    }

    /** pip wheel, offline and without build isolation (Debian's setuptools and grpc_tools); returns the wheel. */
    private Path buildWheel(Path project, Path dist) throws Exception {
        python(0, null, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index", "--disable-pip-version-check",
                "-w", dist.toString(), project.toString());
        try (Stream<Path> files = Files.list(dist)) {
            List<Path> wheels = files.filter(f -> f.getFileName().toString().matches("argus_client-.*\\.whl")).toList();
            assertThat(wheels).hasSize(1);
            return wheels.get(0);
        }
    }

    private String python(int status, String pythonPath, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON));
        command.addAll(List.of(args));
        return run(status, pythonPath, command.toArray(String[]::new));
    }

    /** Runs a command in the temporary directory (not the checkout: its clients/python must not be importable). */
    private String run(int status, String pythonPath, String... command) throws Exception {
        ProcessBuilder process = new ProcessBuilder(command).directory(tmp.toFile());
        process.environment().keySet().removeIf(k -> k.startsWith("PYTHON") || k.startsWith("ARGUS_") || k.startsWith("PIP_"));
        process.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        if (pythonPath != null) {
            process.environment().put("PYTHONPATH", pythonPath);
        }
        return ExternalProcess.run(status, process);
    }

    private static ClassifyResponse classify(ManagedChannel channel, ProbeCase c, int topK, LabelStyle style) {
        return ClassifierGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).classify(ClassifyRequest
                .newBuilder().setEncoded(ByteString.copyFrom(c.bytes())).setTopK(topK).setLabelStyle(style).build());
    }

    private static void assertAgrees(ProbeCase c, ClassifyResponse java, String out) throws IOException {
        JsonNode py = JSON.readTree(out);
        JsonNode result = py.get("result");
        assertThat(result).as("argus-classify output: %s", out).isNotNull();
        assertThat(result.size()).as(c.name()).isEqualTo(java.getClassificationsCount());
        for (int i = 0; i < result.size(); i++) {
            assertThat(result.get(i).get("label").asText()).as(c.name()).isEqualTo(java.getClassifications(i).getLabel());
            assertThat(result.get(i).get("class_index").asInt()).as(c.name()).isEqualTo(java.getClassifications(i).getClassIndex());
            assertThat(result.get(i).get("score").asDouble()).as(c.name()).isEqualTo(java.getClassifications(i).getScore());
        }
        assertThat(py.get("model").asText()).isEqualTo(java.getModel());
        assertThat(result.get(0).get("class_index").asInt()).as(c.name()).isEqualTo(c.expectedClass());
    }

    private static List<String> entries(Path wheel) throws IOException {
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        }
    }

    private static String entry(Path wheel, String suffix) throws IOException {
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            ZipEntry e = zip.stream().filter(z -> z.getName().endsWith(suffix)).findFirst().orElseThrow();
            return new String(zip.getInputStream(e).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}

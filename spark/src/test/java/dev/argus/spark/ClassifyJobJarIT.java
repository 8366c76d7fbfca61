package dev.argus.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.TestModels;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifact a cluster gets: {@code target/argus-spark-job.jar} holds the job and Argus but not Spark, and runs
 * when submitted the way {@code spark-submit} does it (SparkSubmit in a fresh JVM whose classpath is Spark's jars
 * only, the job jar given as the application jar).
 */
class ClassifyJobJarIT {
    /**
     * Jars a Spark distribution ships that Maven resolves under app (same coordinates, so they count as app's here);
     * with the provided-scope classpath they make up what a cluster's {@code jars/} directory holds.
     */
    private static final List<String> ALSO_IN_SPARK = List.of("/org/slf4j/slf4j-api/", "/com/fasterxml/jackson/core/",
            "/com/google/code/gson/", "/commons-codec/", "/org/apache/commons/commons-compress/", "/com/google/protobuf/protobuf-java/",
            "/jakarta/inject/", "/com/google/code/findbugs/", "/jakarta/servlet/jakarta.servlet-api/");

    @TempDir
    Path work;

    private static Path jobJar() {
        return Paths.get(System.getProperty("argus.spark.job-jar", "target/argus-spark-job.jar"));
    }

    @Test
    void holdsTheJobAndArgusButNotSparkNorSlf4j() throws IOException {
        assertThat(jobJar()).isRegularFile();
        try (JarFile jar = new JarFile(jobJar().toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("dev/argus/spark/ClassifyJob.class", "dev/argus/app/wiring/Argus.class",
                    "ai/onnxruntime/OrtEnvironment.class", "dev/argus/shaded/com/google/inject/Injector.class",
                    "dev/argus/shaded/com/fasterxml/jackson/databind/ObjectMapper.class");
            assertThat(names).noneMatch(n -> n.startsWith("org/apache/spark/") || n.startsWith("scala/") || n.startsWith("org/slf4j/")
                    || n.startsWith("com/google/inject/") || n.startsWith("com/google/common/"));
            assertThat(names).anyMatch(n -> n.endsWith("libonnxruntime.so"));
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(ClassifyJob.class.getName());
        }
        System.out.printf("JOB JAR %s: %.1f MB%n", jobJar(), Files.size(jobJar()) / 1e6);
    }

    @Test
    void runsWhenSubmittedWithOnlySparksJarsOnTheClasspath() throws Exception {
        Path images = work.resolve("images");
        ImageFolders.probes(images);
        ImageFolders.bad(images);
        Path out = work.resolve("out");
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", sparkClasspath(), "-Dlog4j2.configurationFile=" + Paths.get("target/test-classes/log4j2-test.properties").toAbsolutePath(),
                "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.host=127.0.0.1", "--class", "dev.argus.spark.ClassifyJob", jobJar().toAbsolutePath().toString(),
                "--input", images.toString(), "--output", out.toString(), "--model", TestModels.probeOnnx().toString(),
                "-D", "argus.data-dir=" + work.resolve("data")));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("submit.log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("ORT_DISABLE_TELEMETRY", "1");
        Process p = pb.start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String log = Files.readString(work.resolve("submit.log"), StandardCharsets.UTF_8);
        System.out.println(log);
        assertThat(finished).as("SparkSubmit finished within 120 s").isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        int expected = ProbeCase.all().size() + ImageFolders.BAD_FILES.size();
        assertThat(log).contains(expected + " images classified").contains(ImageFolders.BAD_FILES.size() + " could not be classified");
        assertThat(LocalSpark.session().read().parquet(out.toString()).count()).isEqualTo(expected);
    }

    /** Spark's jars: the provided-scope classpath Maven wrote, plus the jars Spark shares with app. */
    private static String sparkClasspath() throws IOException {
        Path file = Paths.get(System.getProperty("argus.spark.classpath-file", "target/spark-classpath.txt"));
        List<String> jars = new ArrayList<>(Arrays.asList(Files.readString(file).trim().split(File.pathSeparator)));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (ALSO_IN_SPARK.stream().anyMatch(entry::contains)) {
                jars.add(entry);
            }
        }
        return jars.stream().filter(j -> !j.isBlank()).collect(Collectors.joining(File.pathSeparator));
    }
}

package dev.argus.spark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * One {@code local[2]} SparkSession for every integration test of the JVM (starting one costs seconds), bound to
 * loopback, without UI. The job finds it as the running session, as it would under spark-submit.
 */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().appName("argus-spark-tests").master("local[2]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop, "spark-test-stop"));
        }
        return session;
    }

    /** The job's exit code, stdout and stderr. */
    record Run(int exitCode, String out, String err) {
    }

    /** Runs the job in this JVM on the shared session; {@code argus} settings keep data under target/. */
    static Run job(String... args) {
        session();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-D");
        all.add("argus.data-dir=" + System.getProperty("argus.data.dir", "target/argus-data"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ClassifyJob.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        Run r = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.print(r.out());
        System.err.print(r.err());
        return r;
    }
}

package dev.argus.spark;

import dev.argus.app.config.Key;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes each executor's classifier to the executor, for the keys the user left at their defaults. All tasks of an
 * executor JVM share one classifier, so its engine threads ({@code argus.cpus}) should be the cores Spark gives that
 * executor: {@code spark.executor.cores}, or in local mode the master's thread count. Tasks of one executor queue for
 * the engine's workers, so a task may wait several engine calls: the queue timeout is raised from the server's 30 s to
 * {@value #QUEUE_TIMEOUT_MS} ms.
 */
final class ExecutorSizing {
    static final String QUEUE_TIMEOUT_MS = "600000";
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:\\s*,\\s*\\d+)?])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*\\d+\\s*,\\s*(\\d+)\\s*,\\s*\\d+\\s*]");

    private ExecutorSizing() {
    }

    /**
     * @param conf a Spark configuration lookup ({@code SparkConf.getOption}, as a function)
     * @param localCores the cores {@code local[*]} means here
     */
    static ExecutorSettings apply(ExecutorSettings s, Function<String, Optional<String>> conf, int localCores) {
        ExecutorSettings out = s;
        if (out.isDefault(Key.CPUS)) {
            Optional<Cores> cores = executorCores(conf, localCores);
            if (cores.isPresent()) {
                out = out.with(Key.CPUS, Integer.toString(cores.get().count()), cores.get().source());
            }
        }
        if (out.isDefault(Key.QUEUE_TIMEOUT_MS)) {
            out = out.with(Key.QUEUE_TIMEOUT_MS, QUEUE_TIMEOUT_MS, "argus-spark (tasks of an executor share its engine)");
        }
        return out;
    }

    /** The cores one executor has, when Spark says; empty = let Argus use what the executor JVM may use. */
    static Optional<Cores> executorCores(Function<String, Optional<String>> conf, int localCores) {
        String master = conf.apply("spark.master").orElse("").trim();
        Matcher local = LOCAL.matcher(master);
        if (local.matches()) {
            String n = local.group(1);
            int count = n == null ? 1 : n.equals("*") ? localCores : Integer.parseInt(n);
            return Optional.of(new Cores(Math.max(1, count), "spark.master " + master));
        }
        Matcher cluster = LOCAL_CLUSTER.matcher(master);
        if (cluster.matches()) {
            return Optional.of(new Cores(Math.max(1, Integer.parseInt(cluster.group(1))), "spark.master " + master));
        }
        Optional<String> cores = conf.apply("spark.executor.cores");
        if (cores.isPresent() && cores.get().trim().matches("\\d+") && Integer.parseInt(cores.get().trim()) > 0) {
            return Optional.of(new Cores(Integer.parseInt(cores.get().trim()), "spark.executor.cores"));
        }
        return Optional.empty();
    }

    record Cores(int count, String source) {
    }
}

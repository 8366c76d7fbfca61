package dev.argus.app.bench;

import dev.argus.bench.run.BackendSpec;
import dev.argus.bench.run.Orchestrator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts benchmark workers as fresh JVMs like this one: the same java, class path, JVM options and Argus/engine
 * system properties, and the same command line plus the worker's own options.
 */
final class WorkerJvm implements Orchestrator.Launcher {
    /** System properties a worker must see as this JVM does (tests set some of them without a command-line flag). */
    private static final List<String> INHERITED_PREFIXES = List.of("argus.", "org.bytedeco.", "ai.djl.", "java.util.logging.",
            "TENSORFLOW_", "DJL_", "ENGINE_");

    private final List<String> benchArgs;
    private final Map<String, String> env;

    WorkerJvm(List<String> benchArgs, Map<String, String> env) {
        this.benchArgs = List.copyOf(benchArgs);
        this.env = env;
    }

    @Override
    public Process launch(BackendSpec backend, int repetition, Path result) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String a : jvmArgs) {
            if (a.startsWith("-agentlib") || a.startsWith("-javaagent") || a.startsWith("-Xrunjdwp")) {
                continue;
            }
            cmd.add(a);
        }
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> INHERITED_PREFIXES.stream().anyMatch(k::startsWith))
                .filter(k -> jvmArgs.stream().noneMatch(a -> a.startsWith("-D" + k + "=")))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.argus.app.cli.Main");
        cmd.add("bench");
        cmd.addAll(benchArgs);
        cmd.addAll(List.of("--quiet", "--worker", backend.id(), "--repetition", String.valueOf(repetition), "--result", result.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        environment(pb.environment(), env, backend);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    /**
     * The worker's environment: this process's, then the command's own variables, then what the launcher script would
     * set (ORT telemetry off; TensorFlow's oneDNN off, as it answers wrong on AMD Zen 5), unless already set; last the
     * backend's own {@code {VAR=VALUE}} settings, which win.
     */
    static void environment(Map<String, String> worker, Map<String, String> command, BackendSpec backend) {
        worker.putAll(command);
        worker.putIfAbsent("ORT_DISABLE_TELEMETRY", "1");
        worker.putIfAbsent("TF_ENABLE_ONEDNN_OPTS", "0");
        backend.applyEnv(worker);
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}

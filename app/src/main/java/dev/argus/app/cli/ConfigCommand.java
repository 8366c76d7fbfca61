package dev.argus.app.cli;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Settings;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code argus config}: the effective configuration and where each value came from (secrets redacted). */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the effective configuration, each value with its source; validates it.")
final class ConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    private final PrintStream out;
    private final Map<String, String> env;

    ConfigCommand(PrintStream out, Map<String, String> env) {
        this.out = out;
        this.env = env;
    }

    @Override
    public Integer call() {
        Settings s = configOptions.settings(env);
        out.print(s.dump());
        ArgusConfig c = ArgusConfig.from(s, env);
        out.println("# resolved: data dir " + c.dataDir() + ", " + c.inference().cpus() + " CPUs, "
                + c.inference().workers() + " worker(s) x " + c.onnx().intraOpThreads() + " ONNX thread(s)");
        out.println("# CPUs: " + c.inference().cpusSource());
        return ExitCodes.OK;
    }
}

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

    /** The configuration as a start would size it: with a tuned setting, looked up only for a model already here. */
    private ArgusConfig sized(ArgusConfig c) {
        if (dev.argus.app.config.Backends.isRemote(c.backend())) {
            return c.withSizingSource("none here (remote backend " + c.backend() + ")");
        }
        java.nio.file.Path model;
        try {
            Settings offline = configOptions.settings(env).set(dev.argus.app.config.Key.HUB_OFFLINE, "true", "argus config");
            ArgusConfig o = ArgusConfig.from(offline, env);
            model = dev.argus.app.wiring.ModelSourceWiring.create(o).resolve(o.modelLocation(),
                    dev.argus.ports.out.ModelSource.ProgressListener.NONE);
        } catch (dev.argus.domain.ArgusException e) {
            return c.withSizingSource(c.inference().sizing().source()
                    + " (the model is not on this machine yet, so no tuned setting was looked up)");
        }
        return dev.argus.app.tune.Tuning.apply(c, model).config();
    }

    @Override
    public Integer call() {
        Settings s = configOptions.settings(env);
        out.print(s.dump());
        ArgusConfig c = sized(ArgusConfig.from(s, env));
        ArgusConfig.Inference i = c.inference();
        out.println("# resolved: data dir " + c.dataDir() + ", " + i.cpus() + " CPUs, " + i.workers() + " worker(s) x "
                + (c.backend().startsWith("djl-") ? c.djl().intraOpThreads() : c.onnx().intraOpThreads()) + " thread(s), max-batch " + i.maxBatch()
                + ", decode pool " + i.cpus() + " thread(s)");
        out.println("# CPUs: " + i.cpusSource());
        out.println("# sizing: " + i.sizing().source());
        String processor = s.get(dev.argus.app.config.Key.MODEL_PREPROCESSOR_CONFIG);
        out.println(c.hubFolder().isPresent() && !c.hubFolder().get().processor()
                ? "# preprocessing: from " + c.modelLocation() + "'s preprocessor_config.json, read once downloaded"
                : "# preprocessing: " + c.model().preprocess() + (processor == null || processor.isBlank()
                ? " (the argus.model.* keys)" : " (from " + processor.strip() + ")"));
        return ExitCodes.OK;
    }
}

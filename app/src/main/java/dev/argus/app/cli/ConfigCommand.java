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

    /** The configuration as a start would size and describe it, and the repository folder it was described from. */
    private record Described(ArgusConfig config, java.util.Optional<java.nio.file.Path> folder,
                             java.util.Optional<java.nio.file.Path> model) {
    }

    /** As a start would: with a tuned setting, looked up only for a model already here; a cached repository's description. */
    private Described sized(ArgusConfig c) {
        if (c.backend().remote()) {
            return new Described(c.withSizingSource("none here (remote backend " + c.backend() + ")"), java.util.Optional.empty(),
                    java.util.Optional.empty());
        }
        dev.argus.app.wiring.ModelFiles.Local local;
        try {
            Settings offline = configOptions.settings(env).set(dev.argus.app.config.Key.HUB_OFFLINE, "true", "argus config");
            local = dev.argus.app.wiring.ModelFiles.localize(ArgusConfig.from(offline, env),
                    dev.argus.ports.out.ModelSource.ProgressListener.NONE);
        } catch (dev.argus.domain.ArgusException e) {
            return new Described(c.withSizingSource(c.inference().sizing().source()
                    + " (the model is not on this machine yet, so no tuned setting was looked up)"), java.util.Optional.empty(),
                    java.util.Optional.empty());
        }
        // a repository location is described from its cached folder, as a start would
        return new Described(dev.argus.app.tune.Tuning.apply(local.folder().isPresent() ? local.config() : c, local.model())
                .config(), local.folder(), java.util.Optional.of(local.model()));
    }

    /** The preprocessing in effect and where it comes from. */
    private static String preprocessing(Settings s, ArgusConfig c, java.util.Optional<java.nio.file.Path> repository) {
        String processor = s.get(dev.argus.app.config.Key.MODEL_PREPROCESSOR_CONFIG);
        if (processor != null && !processor.isBlank()) {
            return c.model().preprocess() + " (from " + processor.strip() + ")";
        }
        if (c.hubFolder().isPresent()) { // not on this machine yet: the repository's file decides, once downloaded
            return "from " + c.modelLocation() + "'s preprocessor_config.json, read once downloaded";
        }
        java.util.Optional<java.nio.file.Path> folder = repository.or(() -> ArgusConfig.huggingFaceFolder(
                s.get(dev.argus.app.config.Key.MODEL)));
        return c.model().preprocess() + folder.map(f -> " (from " + f.resolve("preprocessor_config.json") + ")")
                .orElse(" (the argus.model.* keys)");
    }

    /** The model file and what it records about itself: precision, and the agreement argus quantize measured. */
    static String recorded(ArgusConfig c, java.util.Optional<java.nio.file.Path> model) {
        if (model.isEmpty()) {
            return c.backend().remote() ? "served by the remote backend " + c.backend()
                    : "not on this machine yet (its precision is shown once it is)";
        }
        java.nio.file.Path file = model.get();
        if (!java.nio.file.Files.isRegularFile(file) || !file.getFileName().toString().endsWith(".onnx")) {
            return file + " (only an ONNX model records its precision)";
        }
        try {
            return file + ", " + dev.argus.ports.model.ModelInfo.summary(dev.argus.onnxmodel.OnnxModels.metadata(file));
        } catch (java.io.IOException | RuntimeException e) {
            return file + " (its metadata cannot be read: " + e.getMessage() + ")";
        }
    }

    @Override
    public Integer call() {
        Settings s = configOptions.settings(env);
        out.print(s.dump());
        Described d = sized(ArgusConfig.from(s, env));
        ArgusConfig c = d.config();
        ArgusConfig.Inference i = c.inference();
        out.println("# resolved: data dir " + c.dataDir() + ", " + i.cpus() + " CPUs, " + i.workers() + " worker(s) x "
                + c.engineThreads() + " thread(s), max-batch " + i.maxBatch()
                + ", decode pool " + i.cpus() + " thread(s)");
        out.println("# CPUs: " + i.cpusSource());
        out.println("# sizing: " + i.sizing().source());
        out.println("# preprocessing: " + preprocessing(s, c, d.folder()));
        out.println("# model: " + recorded(c, d.model()));
        return ExitCodes.OK;
    }
}

package dev.argus.app.cli;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.wiring.ModelFiles;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code argus model fetch}: download (or find) and verify the configured model, and print its local path. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Model management.")
final class ModelCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    ModelCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download and verify the model (argus.model / --model) into the cache; print its path.")
    int fetch(@Mixin ConfigOptions options) {
        ArgusConfig config = options.config(env);
        ModelFiles.Local local = ModelFiles.localize(config, Main.downloadProgress(err, true));
        // a repository's folder: the model file alone would run without its labels and preprocessing
        out.println(local.folder().orElse(local.model()));
        return ExitCodes.OK;
    }

    @Override
    public void run() {
        spec.commandLine().usage(out);
    }
}

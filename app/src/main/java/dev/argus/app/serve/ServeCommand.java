package dev.argus.app.serve;

import dev.argus.app.cli.ConfigOptions;
import dev.argus.app.cli.ExitCodes;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.ServingConfig;
import dev.argus.app.config.Settings;
import dev.argus.ports.out.ModelSource;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code argus serve}: load and warm up the model, start the servers, report ready; on SIGTERM/SIGINT report not
 * ready, let in-flight requests finish within the grace, then stop.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve classification over REST (argus.rest.*) and gRPC (argus.grpc.*) until stopped with SIGTERM or Ctrl-C.")
public final class ServeCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger(ServeCommand.class.getName());

    @Mixin
    ConfigOptions configOptions;

    private final PrintStream err;
    private final Map<String, String> env;

    public ServeCommand(PrintStream err, Map<String, String> env) {
        this.err = err;
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = configOptions.settings(env);
        ServingConfig serving = ServingConfig.from(settings);
        LOG.log(System.Logger.Level.INFO, CompilerThreads.lower(serving.compilerNice()).describe());
        Servers servers = dev.argus.app.config.ModelRepository.configured(settings)
                ? Servers.startRepository(settings, env, serving, ModelSource.ProgressListener.NONE)
                : Servers.start(ArgusConfig.from(settings, env), serving, ModelSource.ProgressListener.NONE);
        Thread hook = new Thread(servers::close, "argus-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.log(System.Logger.Level.INFO, "Argus is serving ({0}); stop with SIGTERM or Ctrl-C", servers.describe());
        servers.awaitTermination();
        return ExitCodes.OK;
    }
}

package dev.argus.app.cli;

import dev.argus.domain.ArgusException;
import dev.argus.ports.out.ModelSource;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code argus}: the command-line entry point. */
@Command(name = "argus", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Self-hosted image classification (Cloudflare Workers AI's @cf/microsoft/resnet-50, on your machines).",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
        }
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Runs a command with this process's stdin and returns its exit code (see {@link ExitCodes}). Never throws. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, System.in, out, err, env);
    }

    /** Runs a command and returns its exit code (see {@link ExitCodes}). Never throws. {@code in}: what "-" reads. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        Logging.configure(args, env);
        CommandLine cli = new CommandLine(new Main());
        cli.addSubcommand(new CommandLine(new ClassifyCommand(in, out, err, env)));
        cli.addSubcommand(new CommandLine(new ConfigCommand(out, env)));
        cli.addSubcommand(new CommandLine(new ModelCommand(out, err, env)));
        cli.addSubcommand(new CommandLine(new QuantizeCommand(out, err, env)));
        cli.addSubcommand(new CommandLine(new dev.argus.app.serve.ServeCommand(err, env)));
        cli.addSubcommand(new CommandLine(new dev.argus.app.bench.BenchCommand(out, err, env)));
        cli.addSubcommand(new CommandLine(new dev.argus.app.tune.TuneCommand(out, err, env)));
        cli.addSubcommand(new CommandLine(new dev.argus.app.soak.SoakCommand(out, err, env)));
        cli.addSubcommand(new CommandLine(new CompletionCommand(out)));
        // a later single-valued option wins over an earlier one (wrapper scripts put their defaults first)
        cli.setOverwrittenOptionsAllowed(true);
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ArgusException ae) {
                err.println("argus: " + ae.getMessage());
                return ExitCodes.of(ae.code());
            }
            err.println("argus: internal error: " + e);
            e.printStackTrace(err);
            return ExitCodes.BACKEND_FAILURE;
        });
        return cli.execute(args);
    }

    /** Download progress for models: a bar on a terminal, a line every few seconds otherwise. */
    static ModelSource.ProgressListener downloadProgress(PrintStream err, boolean show) {
        if (!show) {
            return ModelSource.ProgressListener.NONE;
        }
        ProgressBar bar = new ProgressBar(err, "bytes", -1, Terminal.isTerminal(err));
        return (done, total) -> {
            bar.total(total);
            bar.update(done);
        };
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"argus " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}

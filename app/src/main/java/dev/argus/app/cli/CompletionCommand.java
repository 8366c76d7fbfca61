package dev.argus.app.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code argus completion}: a bash completion script for every command and option, generated from the command tree
 * (picocli's {@link AutoComplete}); zsh runs it through bashcompinit, which the script loads itself.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a completion script for argus's commands and options, for bash and zsh.",
                "This shell:   source <(argus completion)   (bash or zsh; in zsh the script loads bashcompinit itself)",
                "Every shell:  that line in ~/.bashrc or ~/.zshrc, or  argus completion > /etc/bash_completion.d/argus"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final PrintStream out;

    CompletionCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        out.print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        out.flush();
        return ExitCodes.OK;
    }
}

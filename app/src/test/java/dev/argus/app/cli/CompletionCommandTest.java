package dev.argus.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code argus completion}: a bash (and, through bashcompinit, zsh) completion script for the whole command tree. */
class CompletionCommandTest {
    @TempDir
    Path tmp;

    private static String script() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"completion"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.OK);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theScriptNamesEverySubcommandAndTheirOptions() {
        String script = script();
        assertThat(script).contains("complete -F").contains("argus")
                .contains("classify").contains("config").contains("model").contains("fetch").contains("serve")
                .contains("bench").contains("tune").contains("completion")
                .contains("--top-k").contains("--label-style").contains("--batch-size").contains("--progress")
                .contains("--backends").contains("--p99-ms").contains("--config")
                .as("zsh loads it through bashcompinit").contains("bashcompinit")
                .as("hidden worker options stay hidden").doesNotContain("'--worker'").doesNotContain("'--result'");
    }

    @Test
    void bashCompletesSubcommandsAndOptionsWithIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no /bin/bash on this machine: the script was not run");
        Path script = Files.writeString(tmp.resolve("argus-completion.bash"), script());
        String probe = "source " + script + "\n"
                + "complete -p argus\n"
                + "COMP_WORDS=(argus cl); COMP_CWORD=1; COMP_LINE='argus cl'; COMP_POINT=8\n"
                + "$(complete -p argus | sed -E 's/.*-F ([^ ]+).*/\\1/') argus cl argus; echo \"words: ${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(argus classify --top); COMP_CWORD=2; COMP_LINE='argus classify --top'; COMP_POINT=20\n"
                + "$(complete -p argus | sed -E 's/.*-F ([^ ]+).*/\\1/') argus --top classify; echo \"options: ${COMPREPLY[*]}\"\n";
        // outside a real completion, compopt complains on stderr: only what the functions put in COMPREPLY counts
        Process p = new ProcessBuilder("/bin/bash", "-c", probe).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("-F _complete_argus argus").contains("words: classify").contains("options: --top-k");
    }
}

package dev.argus.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.bench.run.BenchPlan;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --arrivals}: how an open loop spaces its calls, read the same way by the command and its worker JVMs. */
class BenchCommandArrivalsTest {
    private static BenchCommand parsed(String... args) {
        BenchCommand command = new BenchCommand(System.out, System.err, java.util.Map.of());
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void anOpenLoopIsPoissonUnlessPacingIsAskedFor() {
        assertThat(parsed("--arrival-rate", "5", "--duration", "2").arrivals()).isEqualTo(BenchPlan.Arrivals.POISSON);
        assertThat(parsed("--arrival-rate", "5", "--duration", "2", "--arrivals", "uniform").arrivals())
                .isEqualTo(BenchPlan.Arrivals.UNIFORM);
        assertThat(parsed("--arrival-rate", "5", "--duration", "2", "--arrivals", " Poisson ").arrivals())
                .isEqualTo(BenchPlan.Arrivals.POISSON);
        assertThat(parsed().arrivals()).as("a closed loop").isEqualTo(BenchPlan.Arrivals.POISSON);
    }

    @Test
    void anUnknownSpacingOrOneWithoutAnOpenLoopIsAConfigurationError() {
        assertThatThrownBy(() -> parsed("--arrival-rate", "5", "--duration", "2", "--arrivals", "bursty").arrivals())
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("poisson or uniform").hasMessageContaining("bursty");
        assertThatThrownBy(() -> parsed("--arrivals", "uniform").arrivals())
                .isInstanceOf(ArgusException.class).hasMessageContaining("--arrival-rate");
    }
}

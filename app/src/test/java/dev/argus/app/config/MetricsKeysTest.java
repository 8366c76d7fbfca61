package dev.argus.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import org.junit.jupiter.api.Test;

/** argus.metrics.port and argus.metrics.host: the metrics listener is off unless a port is set. */
class MetricsKeysTest {

    @Test
    void theMetricsListenerIsOffByDefault() {
        assertThat(ServingConfig.from(Settings.defaults()).metrics()).isEmpty();
        assertThat(ServingConfig.from(Settings.defaults().set(Key.REST_ENABLED, "false", "t")).metrics())
                .as("not even with REST disabled").isEmpty();
        assertThat(Key.METRICS_HOST.defaultValue()).isEqualTo("127.0.0.1");
    }

    @Test
    void aPortStartsItOnTheHostGiven() {
        assertThat(ServingConfig.from(Settings.defaults().set(Key.METRICS_PORT, "9464", "t")).metrics())
                .contains(new ServingConfig.Metrics("127.0.0.1", 9464));
        assertThat(ServingConfig.from(Settings.defaults().set(Key.METRICS_PORT, "0", "t")
                .set(Key.METRICS_HOST, "0.0.0.0", "t")).metrics()).contains(new ServingConfig.Metrics("0.0.0.0", 0));
    }

    @Test
    void refusesABadPortNamingTheKey() {
        for (String bad : new String[] {"-1", "65536", "http"}) {
            assertThatThrownBy(() -> ServingConfig.from(Settings.defaults().set(Key.METRICS_PORT, bad, "t"))).as(bad)
                    .isInstanceOf(ArgusException.class).hasMessageContaining("argus.metrics.port");
        }
    }
}

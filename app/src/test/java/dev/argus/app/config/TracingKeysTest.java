package dev.argus.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.otlp.OtlpConfig;
import org.junit.jupiter.api.Test;

/** The tracing and log-format keys: defaults (off, text), mapping, refusals naming the key. */
class TracingKeysTest {

    @Test
    void exportIsOffAndLogsAreTextByDefault() {
        assertThat(ServingConfig.from(Settings.defaults()).otlp()).isEmpty();
        assertThat(Key.TRACING_OTLP_ENDPOINT.defaultValue()).isEmpty();
        assertThat(LogFormat.from(Settings.defaults())).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void mapsTheEndpointAndQueueSize() {
        OtlpConfig c = ServingConfig.from(Settings.defaults().set(Key.TRACING_OTLP_ENDPOINT, "http://collector:4318", "t")
                .set(Key.TRACING_QUEUE_SIZE, "100", "t")).otlp().orElseThrow();
        assertThat(c.tracesUrl()).hasToString("http://collector:4318/v1/traces");
        assertThat(c.queueSize()).isEqualTo(100);
        assertThat(c.batchSize()).isEqualTo(100);
        assertThat(c.serviceName()).isEqualTo("argus");
        assertThat(LogFormat.from(Settings.defaults().set(Key.LOG_FORMAT, "JSON", "t"))).isEqualTo(LogFormat.JSON);
    }

    @Test
    void refusesBadValuesNamingTheKey() {
        for (String bad : new String[] {"collector:4318", "ftp://collector", "http://", "http://c:4318/?x=1", "not a url"}) {
            assertThatThrownBy(() -> ServingConfig.from(Settings.defaults().set(Key.TRACING_OTLP_ENDPOINT, bad, "t"))).as(bad)
                    .isInstanceOf(ArgusException.class).hasMessageContaining("argus.tracing.otlp-endpoint");
        }
        assertThatThrownBy(() -> ServingConfig.from(Settings.defaults().set(Key.TRACING_QUEUE_SIZE, "0", "t")))
                .isInstanceOf(ArgusException.class).hasMessageContaining("argus.tracing.queue-size");
        assertThatThrownBy(() -> LogFormat.from(Settings.defaults().set(Key.LOG_FORMAT, "yaml", "t")))
                .isInstanceOf(ArgusException.class).hasMessageContaining("argus.log.format").hasMessageContaining("text, json");
    }
}

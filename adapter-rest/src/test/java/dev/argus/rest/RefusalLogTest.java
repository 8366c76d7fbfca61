package dev.argus.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

    /** Collects formatted lines. */
    static final class Lines implements System.Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(java.text.MessageFormat.format(format, params));
        }
    }

    @Test
    void aFloodOfRefusalsWritesOneLineAPeriodWithTheirCount() throws Exception {
        Lines out = new Lines();
        RefusalLog log = new RefusalLog(out, Duration.ofMillis(200));
        for (int i = 0; i < 1000; i++) {
            log.refused();
        }
        assertThat(out.lines).hasSize(1); // the first refusal writes at once, the rest wait for the period to end
        assertThat(out.lines.get(0)).contains("refused 1 request");
        Thread.sleep(250);
        log.refused();
        assertThat(out.lines).hasSize(2);
        assertThat(out.lines.get(1)).contains("refused 1,000 request");
    }
}

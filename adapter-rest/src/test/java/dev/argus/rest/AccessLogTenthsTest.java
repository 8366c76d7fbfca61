package dev.argus.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The access log's {@code ms=} field, written without java.util.Formatter: the text {@code %.1f} gave. */
class AccessLogTenthsTest {
    private static String tenths(float ms) {
        return RestServer.tenths(new StringBuilder(), ms).toString();
    }

    @Test
    void writesWhatPercentPointOneFWrote() {
        float[] edges = {0f, -0f, 0.04f, 0.05f, 0.06f, 0.95f, 0.96f, 9.95f, 57.45f, 57.5f, 99.99f, 123456.7f, 1e7f, -0.04f,
                -0.06f, -2.25f, -57.45f, Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MAX_VALUE};
        for (float ms : edges) {
            assertThat(tenths(ms)).as("%s", ms).isEqualTo(String.format(Locale.ROOT, "%.1f", ms));
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            float ms = (float) (random.nextDouble() * (i % 2 == 0 ? 300 : 120_000));
            assertThat(tenths(ms)).as("%s", ms).isEqualTo(String.format(Locale.ROOT, "%.1f", ms));
        }
    }

    @Test
    void appendsToWhatIsThere() {
        assertThat(RestServer.tenths(new StringBuilder("ms="), 61.66f)).hasToString("ms=61.7");
    }
}

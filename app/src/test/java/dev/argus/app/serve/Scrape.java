package dev.argus.app.serve;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A registry as a scraper reads it (Prometheus text), and one sample's value out of such text. */
public final class Scrape {
    private Scrape() {
    }

    static String text(PrometheusRegistry registry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The value of the first sample of {@code name} whose labels contain every {@code label="value"} pair given
     * (in any order), e.g. {@code value(text, "jvm_memory_used_bytes", "area=\"heap\"")}.
     */
    public static OptionalDouble value(String text, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(text);
        while (m.find()) {
            String set = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String l : labels) {
                all &= set.contains(l);
            }
            if (all) {
                return OptionalDouble.of(Double.parseDouble(m.group(2)));
            }
        }
        return OptionalDouble.empty();
    }
}

package dev.argus.spark;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.Settings;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Argus's configuration as the driver resolved it (defaults, properties file, the driver's environment, {@code -D}
 * flags), in a form Spark ships to executors: every value that is not a default, with where it came from. Executors
 * rebuild the same {@link Settings} from it and validate it through {@link ArgusConfig#from}, exactly as {@code argus}
 * does; their own environment only decides the data directory ({@code XDG_DATA_HOME}) when none is configured.
 *
 * <p>Equal snapshots mean the same classifier: {@link ExecutorClassifiers} keeps one per snapshot and JVM.
 *
 * @param values  key name -> value, only keys not at their default
 * @param sources key name -> where the value came from ({@code flag --set}, {@code env ARGUS_MODEL}, a file, ...)
 */
public record ExecutorSettings(Map<String, String> values, Map<String, String> sources) implements Serializable {
    private static final long serialVersionUID = 1L;

    public ExecutorSettings {
        values = Map.copyOf(values);
        sources = Map.copyOf(sources);
    }

    /** The values of {@code settings} that differ from the defaults, by source. */
    public static ExecutorSettings of(Settings settings) {
        Map<String, String> values = new TreeMap<>();
        Map<String, String> sources = new TreeMap<>();
        for (Key k : Key.values()) {
            if (!"default".equals(settings.source(k))) {
                values.put(k.key(), settings.get(k));
                sources.put(k.key(), settings.source(k));
            }
        }
        return new ExecutorSettings(values, sources);
    }

    /** True when nobody set {@code key}: the job may choose a value for it. */
    public boolean isDefault(Key key) {
        return !values.containsKey(key.key());
    }

    /** A copy with {@code key} set. */
    public ExecutorSettings with(Key key, String value, String source) {
        Map<String, String> v = new TreeMap<>(values);
        Map<String, String> s = new TreeMap<>(sources);
        v.put(key.key(), value);
        s.put(key.key(), source);
        return new ExecutorSettings(v, s);
    }

    /** The same layered settings the driver had. */
    public Settings settings() {
        Settings s = Settings.defaults();
        new TreeMap<>(values).forEach((k, v) -> s.set(k, v, sources.getOrDefault(k, "argus-spark")));
        return s;
    }

    /** The typed, validated configuration; fails naming the key, value and source, as {@code argus} does. */
    public ArgusConfig config(Map<String, String> env) {
        return ArgusConfig.from(settings(), env);
    }

    /** Secrets stay out of logs and Spark's error messages. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ExecutorSettings[");
        new TreeMap<>(values).forEach((k, v) -> {
            boolean secret = Key.byName(k).map(Key::secret).orElse(false);
            sb.append(sb.length() > 17 ? ", " : "").append(k).append('=').append(secret && !v.isEmpty() ? "<redacted>" : v);
        });
        return sb.append(']').toString();
    }
}

package dev.argus.app.config;

import dev.argus.domain.ArgusException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Raw configuration values and where each came from. Layers, lowest first: defaults, a properties file, environment
 * variables, command-line flags. Unknown keys are refused so that typos do not pass silently.
 */
public final class Settings {
    private final Map<Key, String> values = new EnumMap<>(Key.class);
    private final Map<Key, String> sources = new EnumMap<>(Key.class);

    private Settings() {
        for (Key k : Key.values()) {
            values.put(k, k.defaultValue());
            sources.put(k, "default");
        }
    }

    public static Settings defaults() {
        return new Settings();
    }

    /** An independent copy: values and sources. */
    public Settings copy() {
        Settings c = new Settings();
        c.values.putAll(values);
        c.sources.putAll(sources);
        return c;
    }

    /** Loads a properties file on top. */
    public Settings withFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw ArgusException.configuration("Cannot read configuration file " + file + ": " + e.getMessage());
        }
        for (String name : new TreeSet<>(p.stringPropertyNames())) {
            set(name, p.getProperty(name).trim(), file.toString());
        }
        return this;
    }

    /** Applies environment variables: {@code ARGUS_*} for every key, and the Hugging Face conventions. */
    public Settings withEnvironment(Map<String, String> env) {
        for (Key k : Key.values()) {
            String v = env.get(k.envName());
            if (v != null) {
                set(k, v.trim(), "env " + k.envName());
            }
        }
        if (env.containsKey("HF_ENDPOINT") && !env.containsKey(Key.HUB_ENDPOINT.envName())) {
            set(Key.HUB_ENDPOINT, env.get("HF_ENDPOINT").trim(), "env HF_ENDPOINT");
        }
        if (env.containsKey("HF_TOKEN") && !env.containsKey(Key.HUB_TOKEN.envName())) {
            set(Key.HUB_TOKEN, env.get("HF_TOKEN").trim(), "env HF_TOKEN");
        }
        alias(env, "CLOUDFLARE_ACCOUNT_ID", Key.CLOUDFLARE_ACCOUNT_ID);
        alias(env, "CLOUDFLARE_API_TOKEN", Key.CLOUDFLARE_API_TOKEN);
        String offline = env.get("HF_HUB_OFFLINE");
        if (offline != null && !env.containsKey(Key.HUB_OFFLINE.envName())) {
            set(Key.HUB_OFFLINE, String.valueOf(offline.equals("1") || offline.equalsIgnoreCase("true")), "env HF_HUB_OFFLINE");
        }
        return this;
    }

    /** A conventional environment variable for a key, unless the ARGUS_ one is set too. */
    private void alias(Map<String, String> env, String name, Key key) {
        if (env.containsKey(name) && !env.containsKey(key.envName())) {
            set(key, env.get(name).trim(), "env " + name);
        }
    }

    /** Sets a value by key name, refusing unknown keys with the list of known ones. */
    public Settings set(String name, String value, String source) {
        Key k = Key.byName(name).orElseThrow(() -> ArgusException.configuration("Unknown configuration key '" + name
                + "' (from " + source + "). Known keys: " + String.join(", ", java.util.Arrays.stream(Key.values()).map(Key::key).toList())));
        return set(k, value, source);
    }

    public Settings set(Key key, String value, String source) {
        values.put(key, value);
        sources.put(key, source);
        return this;
    }

    public String get(Key key) {
        return values.get(key);
    }

    public String source(Key key) {
        return sources.get(key);
    }

    /** All values as {@code key = value  (source)} lines, secrets redacted. */
    public String dump() {
        StringBuilder sb = new StringBuilder();
        for (Key k : Key.values()) {
            String v = values.get(k);
            if (k.secret() && !v.isEmpty()) {
                v = "<redacted>";
            }
            sb.append(k.key()).append(" = ").append(v).append("    (").append(sources.get(k)).append(")\n");
        }
        return sb.toString();
    }
}

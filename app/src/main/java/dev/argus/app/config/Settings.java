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

    /** {@code ARGUS_*} variables that are not keys but are read elsewhere: the launcher's, the CLI's and the build's. */
    static final java.util.Set<String> OTHER_VARIABLES = java.util.Set.of("ARGUS_JAVA_OPTS", "ARGUS_CONFIG", "ARGUS_KUBECTL",
            "ARGUS_DEBIAN_MIRROR");
    /** The suffix of a variable naming a file that holds a secret ({@code ARGUS_REST_AUTH_TOKENS_FILE}). */
    static final String FILE_SUFFIX = "_FILE";
    private static final long MAX_SECRET_FILE_BYTES = 64 * 1024;

    /**
     * Applies environment variables: {@code ARGUS_*} for every key, {@code ARGUS_*_FILE} for secrets (a file holding
     * the value, as Kubernetes mounts secrets), and the Hugging Face conventions. An {@code ARGUS_*} variable that is
     * no key is logged as a warning, with the key it most resembles.
     */
    public Settings withEnvironment(Map<String, String> env) {
        for (Key k : Key.values()) {
            String v = env.get(k.envName());
            String file = k.secret() ? env.get(k.envName() + FILE_SUFFIX) : null;
            if (v != null && file != null) {
                throw ArgusException.configuration("Both " + k.envName() + " and " + k.envName() + FILE_SUFFIX
                        + " are set: set one (" + k.envName() + FILE_SUFFIX + " names a file holding the value).");
            }
            if (v != null) {
                set(k, v.trim(), "env " + k.envName());
            } else if (file != null) {
                set(k, secretFile(k, file.trim()), "file " + file.trim() + " (env " + k.envName() + FILE_SUFFIX + ")");
            }
        }
        unknownVariables(env).forEach(w -> System.getLogger(Settings.class.getName()).log(System.Logger.Level.WARNING, w));
        if (env.containsKey("HF_ENDPOINT") && !env.containsKey(Key.HUB_ENDPOINT.envName())) {
            set(Key.HUB_ENDPOINT, env.get("HF_ENDPOINT").trim(), "env HF_ENDPOINT");
        }
        if (env.containsKey("HF_TOKEN") && !setByArgusVariable(env, Key.HUB_TOKEN)) {
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

    /** The value in {@code file}: its text without the line end a secret file usually has. */
    private static String secretFile(Key k, String file) {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw ArgusException.configuration(k.envName() + FILE_SUFFIX + " names " + file + ", which is no regular file "
                    + "(missing, a folder, a device or a pipe).");
        }
        try (java.io.InputStream in = Files.newInputStream(p)) {
            byte[] bytes = in.readNBytes((int) MAX_SECRET_FILE_BYTES + 1); // a size the file system reports is not trusted
            if (bytes.length > MAX_SECRET_FILE_BYTES) {
                throw ArgusException.configuration(k.envName() + FILE_SUFFIX + " names " + file + ", which is larger than "
                        + MAX_SECRET_FILE_BYTES / 1024 + " KiB: not a secret file.");
            }
            return new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw ArgusException.configuration("Cannot read " + file + " (named by " + k.envName() + FILE_SUFFIX + "): "
                    + e.getMessage());
        }
    }

    /** A warning for every {@code ARGUS_*} variable that is no key (nor another variable Argus reads), sorted. */
    static java.util.List<String> unknownVariables(Map<String, String> env) {
        java.util.Set<String> known = new java.util.HashSet<>(OTHER_VARIABLES);
        for (Key k : Key.values()) {
            known.add(k.envName());
            if (k.secret()) {
                known.add(k.envName() + FILE_SUFFIX);
            }
        }
        return env.keySet().stream().filter(n -> n.startsWith("ARGUS_") && !known.contains(n)).sorted()
                .map(n -> "Ignoring environment variable " + n + ": it is no Argus configuration key" + closest(n)
                        + ". A key's variable is the key in capitals with '.' and '-' as '_' (argus config lists the keys).")
                .toList();
    }

    /** " (did you mean X, for key?)" for the key whose variable name is nearest, when one is near. */
    private static String closest(String name) {
        Key best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Key k : Key.values()) {
            int d = distance(name, k.envName());
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 6)
                ? " (did you mean " + best.envName() + ", for " + best.key() + "?)" : "";
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Whether {@code ARGUS_<KEY>} or, for a secret, {@code ARGUS_<KEY>_FILE} is set: those win over the conventional names. */
    private static boolean setByArgusVariable(Map<String, String> env, Key key) {
        return env.containsKey(key.envName()) || (key.secret() && env.containsKey(key.envName() + FILE_SUFFIX));
    }

    /** A conventional environment variable for a key, unless the ARGUS_ one is set too. */
    private void alias(Map<String, String> env, String name, Key key) {
        if (env.containsKey(name) && !setByArgusVariable(env, key)) {
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

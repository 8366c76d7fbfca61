package dev.argus.bench.run;

import dev.argus.domain.ArgusException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One backend to benchmark, as written on the command line: {@code NAME[{VAR=VALUE;...}][=VALUE]}. For local engines
 * the value is the model ({@code djl-pytorch=resnet50.pt}); for {@code grpc} the other Argus's {@code host:port}; for
 * {@code rest} another Argus's base URL (its Cloudflare-compatible route); {@code cloudflare} takes no value. Braces
 * give the worker JVM's environment variables, for engine settings read natively at load
 * ({@code djl-tensorflow{ONEDNN_MAX_CPU_ISA=AVX2}=model/}); {@code VAR=} removes a variable the worker would inherit.
 * The same backend may be listed several times with different environments, or with labels: {@code NAME:LABEL}
 * ({@code rest:argus=http://127.0.0.1:8080,rest:peer=http://127.0.0.1:18080}).
 *
 * @param id      unique name in reports ({@code onnx}, {@code djl-pytorch}, {@code djl-tensorflow{VAR=1}})
 * @param backend the Argus backend that runs it ({@code rest} runs as {@code cloudflare} against the given URL)
 * @param value   the model, target or URL, when given
 * @param env     environment variables for the worker JVM, in order; an empty value removes the variable
 */
public record BackendSpec(String id, String backend, Optional<String> value, Map<String, String> env) {
    /** Names accepted besides Argus's own backends. */
    public static final String REST = "rest";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]+");

    public BackendSpec {
        if (id == null || id.isBlank() || backend == null || backend.isBlank()) {
            throw ArgusException.configuration("A benchmark backend needs a name");
        }
        value = value == null ? Optional.empty() : value.filter(v -> !v.isBlank());
        env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    public BackendSpec(String id, String backend, Optional<String> value) {
        this(id, backend, value, Map.of());
    }

    /** {@code base} with {@link #env} applied: set where given, removed where given empty. */
    public void applyEnv(Map<String, String> base) {
        env.forEach((k, v) -> {
            if (v.isEmpty()) {
                base.remove(k);
            } else {
                base.put(k, v);
            }
        });
    }

    /** The backend's name, without its label and environment ({@code rest} for {@code rest:peer{A=1}}). */
    public String name() {
        int brace = id.indexOf('{');
        String listed = brace < 0 ? id : id.substring(0, brace);
        int colon = listed.indexOf(':');
        return colon < 0 ? listed : listed.substring(0, colon);
    }

    /** Whether the engine runs in this process (so a bare-engine baseline and logits exist). */
    public boolean remote() {
        return backend.equals("grpc") || backend.equals("cloudflare");
    }

    /**
     * Parses {@code onnx,djl-pytorch=model.pt,grpc=host:50051,djl-tensorflow{ONEDNN_MAX_CPU_ISA=AVX2}=tf/}; names
     * (with their environment) must be unique.
     */
    public static List<BackendSpec> parseList(String list, List<String> knownBackends) {
        List<BackendSpec> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String item : list.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            Map<String, String> env = new LinkedHashMap<>();
            int open = s.indexOf('{');
            int firstEq = s.indexOf('=');
            if (open >= 0 && (firstEq < 0 || open < firstEq)) { // braces belong to the name, not to a value
                int close = s.indexOf('}', open);
                if (close < 0) {
                    throw ArgusException.configuration("Backend '" + s + "': '{' without '}'. Write NAME{VAR=VALUE;...}=MODEL.");
                }
                env.putAll(parseEnv(s, s.substring(open + 1, close)));
                s = s.substring(0, open).trim() + s.substring(close + 1);
            }
            int eq = s.indexOf('=');
            String listed = (eq < 0 ? s : s.substring(0, eq)).trim();
            int colon = listed.indexOf(':');
            String name = colon < 0 ? listed : listed.substring(0, colon);
            if (colon >= 0 && !LABEL.matcher(listed.substring(colon + 1)).matches()) {
                throw ArgusException.configuration("Backend '" + item.trim() + "': the label after ':' must be letters, digits, "
                        + "'.', '_' or '-' (rest:peer=http://127.0.0.1:18080).");
            }
            Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(s.substring(eq + 1).trim()).filter(v -> !v.isEmpty());
            String id = env.isEmpty() ? listed : listed + "{" + String.join(";", env.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()) + "}";
            String backend = name.equals(REST) ? "cloudflare" : name;
            if (!name.equals(REST) && !knownBackends.contains(name)) {
                throw ArgusException.configuration("Unknown benchmark backend '" + name + "'. Valid: "
                        + String.join(", ", knownBackends) + ", " + REST + " (another Argus's REST URL).");
            }
            if (name.equals(REST) && value.isEmpty()) {
                throw ArgusException.configuration("Backend rest needs another Argus's URL: rest=http://host:8080");
            }
            if (name.equals("grpc") && value.isEmpty()) {
                throw ArgusException.configuration("Backend grpc needs another Argus's address: grpc=host:50051");
            }
            if (!seen.add(id)) {
                throw ArgusException.configuration("Backend '" + id + "' is listed twice; benchmark each once (or give "
                        + "each its own label or environment: NAME:LABEL, NAME{VAR=VALUE}).");
            }
            out.add(new BackendSpec(id, backend, value, env));
        }
        if (out.isEmpty()) {
            throw ArgusException.configuration("No backends to benchmark: give --backends, e.g. onnx,djl-pytorch=model.pt");
        }
        return out;
    }

    private static Map<String, String> parseEnv(String item, String body) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : body.split(";")) {
            String p = pair.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq).trim();
            if (eq < 0 || !ENV_NAME.matcher(name).matches()) {
                throw ArgusException.configuration("Backend '" + item + "': '" + p + "' is not VAR=VALUE (a variable name "
                        + "is letters, digits and '_'; VAR= removes it).");
            }
            env.put(name, p.substring(eq + 1).trim());
        }
        if (env.isEmpty()) {
            throw ArgusException.configuration("Backend '" + item + "': '{}' names no variable. Write NAME{VAR=VALUE;...}.");
        }
        return env;
    }

    @Override
    public String toString() {
        return id + value.map(v -> "=" + v).orElse(""); // the id carries the environment
    }
}

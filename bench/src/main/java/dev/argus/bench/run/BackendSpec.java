package dev.argus.bench.run;

import dev.argus.domain.ArgusException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One backend to benchmark, as written on the command line: {@code NAME[=VALUE]}. For local engines the value is the
 * model ({@code djl-pytorch=resnet50.pt}); for {@code grpc} the other Argus's {@code host:port}; for {@code rest}
 * another Argus's base URL (its Cloudflare-compatible route); {@code cloudflare} takes no value.
 *
 * @param id      unique name in reports ({@code onnx}, {@code djl-pytorch})
 * @param backend the Argus backend that runs it ({@code rest} runs as {@code cloudflare} against the given URL)
 * @param value   the model, target or URL, when given
 */
public record BackendSpec(String id, String backend, Optional<String> value) {
    /** Names accepted besides Argus's own backends. */
    public static final String REST = "rest";

    public BackendSpec {
        if (id == null || id.isBlank() || backend == null || backend.isBlank()) {
            throw ArgusException.configuration("A benchmark backend needs a name");
        }
        value = value == null ? Optional.empty() : value.filter(v -> !v.isBlank());
    }

    /** Whether the engine runs in this process (so a bare-engine baseline and logits exist). */
    public boolean remote() {
        return backend.equals("grpc") || backend.equals("cloudflare");
    }

    /** Parses {@code onnx,djl-pytorch=model.pt,grpc=host:50051}; names must be unique. */
    public static List<BackendSpec> parseList(String list, List<String> knownBackends) {
        List<BackendSpec> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String item : list.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            String name = (eq < 0 ? s : s.substring(0, eq)).trim();
            Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(s.substring(eq + 1).trim()).filter(v -> !v.isEmpty());
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
            if (!seen.add(name)) {
                throw ArgusException.configuration("Backend '" + name + "' is listed twice; benchmark each once.");
            }
            out.add(new BackendSpec(name, backend, value));
        }
        if (out.isEmpty()) {
            throw ArgusException.configuration("No backends to benchmark: give --backends, e.g. onnx,djl-pytorch=model.pt");
        }
        return out;
    }

    @Override
    public String toString() {
        return id + value.map(v -> "=" + v).orElse("");
    }
}

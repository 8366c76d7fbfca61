package dev.argus.ports.in;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The models a server serves, by name and version, and the ones that failed to load (with why). Inbound adapters
 * resolve each request's model here when it arrives; the first model added is the default, the one answering routes
 * that name none. Thread-safe: models may be added, replaced and removed while requests are being resolved (a request
 * keeps the model it resolved).
 */
public final class ModelCatalog {
    /** A model version that is not being served, and why: for the repository index and the log. */
    public record Unavailable(String name, String version, String reason) {
    }

    private volatile List<ServedModel> models = List.of();
    private volatile Map<String, Unavailable> unavailable = Map.of();

    /** A catalog serving one model. */
    public static ModelCatalog of(ServedModel model) {
        ModelCatalog c = new ModelCatalog();
        c.put(model);
        return c;
    }

    /**
     * A catalog serving one model alone, as a single-model server does: named by its use case, version 1, required.
     *
     * @param aliases other names it answers to (Cloudflare's id)
     */
    public static ModelCatalog alone(ClassifyImageUseCase useCase, Optional<InferTensorUseCase> tensors, List<String> aliases,
                                     java.util.function.BooleanSupplier ready) {
        return of(new ServedModel(Objects.requireNonNull(useCase, "useCase").model().model(), "1", useCase, tensors, aliases,
                true, ready));
    }

    /** Serves {@code model}, in place of the same name and version if served (the default stays the default). */
    public synchronized void put(ServedModel model) {
        Objects.requireNonNull(model, "model");
        List<ServedModel> next = new ArrayList<>(models);
        int at = indexOf(next, model.name(), model.version());
        if (at >= 0) {
            next.set(at, model);
        } else {
            // beside its other versions, so that a model's place (the default's first place) survives a new version
            int last = -1;
            for (int i = 0; i < next.size(); i++) {
                if (next.get(i).name().equals(model.name())) {
                    last = i;
                }
            }
            next.add(last + 1 > 0 ? last + 1 : next.size(), model);
        }
        models = List.copyOf(next);
        Map<String, Unavailable> u = new LinkedHashMap<>(unavailable);
        u.remove(key(model.name(), model.version()));
        unavailable = Map.copyOf(u);
    }

    /** Stops serving {@code name} version {@code version}; returns what was served, if anything. */
    public synchronized Optional<ServedModel> remove(String name, String version) {
        List<ServedModel> next = new ArrayList<>(models);
        int at = indexOf(next, name, version);
        if (at < 0) {
            return Optional.empty();
        }
        ServedModel removed = next.remove(at);
        models = List.copyOf(next);
        return Optional.of(removed);
    }

    /** Records that {@code name} version {@code version} could not be loaded, and why. */
    public synchronized void failed(String name, String version, String reason) {
        Map<String, Unavailable> u = new LinkedHashMap<>(unavailable);
        u.put(key(name, version), new Unavailable(name, version, reason));
        unavailable = Map.copyOf(u);
    }

    /** Forgets every failed load of {@code name} (a model that left the repository is no longer listed). */
    public synchronized void forget(String name) {
        Map<String, Unavailable> u = new LinkedHashMap<>(unavailable);
        u.values().removeIf(x -> x.name().equals(name));
        unavailable = Map.copyOf(u);
    }

    /** Every model version served, the default first. */
    public List<ServedModel> models() {
        return models;
    }

    /** The model versions that failed to load, with why. */
    public List<Unavailable> unavailable() {
        return unavailable.values().stream().sorted(Comparator.comparing(Unavailable::name).thenComparing(Unavailable::version))
                .toList();
    }

    /**
     * One line of the repository index (the Open Inference Protocol's): a version served ({@code READY}, or
     * {@code LOADING} before its warm-up ends; with the reason its reload failed, if it did) or not
     * ({@code UNAVAILABLE}, with why).
     */
    public record IndexEntry(String name, String version, String state, String reason) {
    }

    /** Every model version, served first, then those that failed to load and are not served. */
    public List<IndexEntry> index() {
        List<ServedModel> served = models;
        List<Unavailable> failed = unavailable();
        List<IndexEntry> out = new ArrayList<>();
        for (ServedModel m : served) {
            String reason = failed.stream().filter(u -> u.name().equals(m.name()) && u.version().equals(m.version()))
                    .map(u -> "reload failed, this version still serves: " + u.reason()).findFirst().orElse("");
            out.add(new IndexEntry(m.name(), m.version(), m.isReady() ? "READY" : "LOADING", reason));
        }
        for (Unavailable u : failed) {
            if (served.stream().noneMatch(m -> m.name().equals(u.name()) && m.version().equals(u.version()))) {
                out.add(new IndexEntry(u.name(), u.version(), "UNAVAILABLE", u.reason()));
            }
        }
        return out;
    }

    /** The default model: the first served. */
    public Optional<ServedModel> defaultModel() {
        List<ServedModel> m = models;
        return m.isEmpty() ? Optional.empty() : Optional.of(m.get(0));
    }

    /**
     * The model a request names.
     *
     * @param name    its name, short name or alias (any case); empty for the default model
     * @param version a version served; empty for the newest one served
     */
    public Optional<ServedModel> find(String name, String version) {
        List<ServedModel> all = models;
        List<ServedModel> candidates;
        if (name == null || name.isEmpty()) {
            if (all.isEmpty()) {
                return Optional.empty();
            }
            String defaultName = all.get(0).name();
            candidates = all.stream().filter(m -> m.name().equals(defaultName)).toList();
        } else {
            candidates = all.stream().filter(m -> m.answersTo(name)).toList();
            // a full name beats a short name or alias that another model shares
            List<ServedModel> exact = candidates.stream().filter(m -> m.name().equalsIgnoreCase(name)).toList();
            if (!exact.isEmpty()) {
                candidates = exact;
            }
        }
        if (version == null || version.isEmpty()) {
            return candidates.stream().max(Comparator.comparing(ServedModel::version, ModelCatalog::compareVersions));
        }
        return candidates.stream().filter(m -> m.version().equals(version)).findFirst();
    }

    /** The model whose alias is {@code id} exactly (any case), newest version: Cloudflare's route. */
    public Optional<ServedModel> byAlias(String id) {
        return models.stream().filter(m -> m.hasAlias(id))
                .max(Comparator.comparing(ServedModel::version, ModelCatalog::compareVersions));
    }

    /** The rule for {@code /v2/health/ready}: something is served, and every required model is ready. */
    public boolean ready() {
        List<ServedModel> m = models;
        return !m.isEmpty() && m.stream().filter(ServedModel::required).allMatch(ServedModel::isReady);
    }

    /** What is served, for messages: {@code 'a' (versions 1, 2), 'b' (version 1)}. */
    public String describe() {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (ServedModel m : models) {
            byName.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m.version());
        }
        if (byName.isEmpty()) {
            return "no model";
        }
        return byName.entrySet().stream().map(e -> "'" + e.getKey() + "' (version" + (e.getValue().size() > 1 ? "s " : " ")
                + String.join(", ", e.getValue()) + ")").collect(Collectors.joining(", "));
    }

    /** Numeric versions compare as numbers, others as text after them. */
    public static int compareVersions(String a, String b) {
        boolean na = a.matches("\\d{1,18}");
        boolean nb = b.matches("\\d{1,18}");
        if (na && nb) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        return na ? 1 : nb ? -1 : a.compareTo(b);
    }

    private static int indexOf(List<ServedModel> list, String name, String version) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(name) && list.get(i).version().equals(version)) {
                return i;
            }
        }
        return -1;
    }

    private static String key(String name, String version) {
        return name + "\u0000" + version;
    }
}

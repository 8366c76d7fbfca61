package dev.argus.app.serve;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.ModelRepository;
import dev.argus.app.config.Settings;
import dev.argus.app.wiring.Argus;
import dev.argus.app.wiring.SharedCpus;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.in.ModelControl;
import dev.argus.ports.in.ServedModel;
import dev.argus.ports.out.ModelSource;
import dev.argus.ports.service.DrainableModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The models of a repository while the server runs: loads them at start, then (model control, as Triton's) loads,
 * reloads and unloads them on request ({@code explicit}) or when the repository changes ({@code poll}). A new
 * version is loaded and warmed up before it is served; the version it replaces is then taken out of service without
 * dropping a request ({@link DrainableModel}) and released. A load that fails changes nothing but the record of why.
 */
final class ModelManager implements ModelControl, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ModelManager.class.getName());

    /** How the repository is followed after start. */
    enum Mode {
        NONE, EXPLICIT, POLL;

        static Mode parse(String s) {
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ArgusException.configuration("argus.repository.control = '" + s + "': use none, explicit or poll.");
            }
        }
    }

    /** A version being served, what it was loaded from, and what it runs with (for the metrics). */
    private record Loaded(Argus argus, DrainableModel drainable, ServedModel served, AtomicBoolean warm, String fingerprint,
                          EngineFacts.Facts facts) {
    }

    private final Settings settings;
    private final Map<String, String> env;
    private final ModelCatalog catalog;
    private final EngineFacts engines;
    private final SharedCpus shared;
    private final dev.argus.ports.service.Tracing tracing;
    private final Mode mode;
    private final int warmupRounds;
    private final Duration drainMax;
    private final String cloudflareId;
    private final long pollMillis;
    private final Map<String, Loaded> loaded = new LinkedHashMap<>(); // by name + NUL + version; guarded by this
    private final Map<String, String> failedFingerprints = new HashMap<>(); // poll: a broken state is not retried
    private ScheduledExecutorService poller;
    private boolean closed;

    ModelManager(Settings settings, Map<String, String> env, ModelCatalog catalog, EngineFacts engines, SharedCpus shared,
                 int warmupRounds, Duration drainMax, dev.argus.ports.service.Tracing tracing) {
        this.settings = settings;
        this.engines = engines;
        this.tracing = tracing;
        this.env = env;
        this.catalog = catalog;
        this.shared = shared;
        this.mode = Mode.parse(settings.get(Key.REPOSITORY_CONTROL));
        this.warmupRounds = warmupRounds;
        this.drainMax = drainMax;
        this.cloudflareId = settings.get(Key.REST_CLOUDFLARE_MODEL);
        this.pollMillis = mode == Mode.POLL ? pollInterval(settings) : 0;
    }

    private static long pollInterval(Settings settings) {
        String v = settings.get(Key.REPOSITORY_POLL_INTERVAL_MS).strip();
        long every;
        try {
            every = Long.parseLong(v);
        } catch (NumberFormatException e) {
            every = -1;
        }
        if (every < 100) {
            throw ArgusException.configuration("argus.repository.poll-interval-ms must be a number of milliseconds, at least "
                    + "100; got '" + v + "' (from " + settings.source(Key.REPOSITORY_POLL_INTERVAL_MS) + ").");
        }
        return every;
    }

    Mode mode() {
        return mode;
    }

    /**
     * At start: every model version of the repository, loaded (not warmed up: {@link #warmUp}). A required model that
     * cannot be loaded stops the start, naming it; another is left out, its reason in the catalog and the log.
     */
    synchronized void loadAll() {
        ModelRepository.Scan scan = ModelRepository.scan(settings, cloudflareId);
        for (ModelRepository.Failure f : scan.failures()) {
            failedAtStart(f.name(), f.version(), f.reason(), f.required());
        }
        Set<String> startup = startupModels();
        // the default model (routes that name none) is the one answering to Cloudflare's id, else the first by name
        List<ModelRepository.Entry> entries = new ArrayList<>(scan.entries().stream()
                .filter(e -> startup.contains("*") || startup.contains(e.name())).toList());
        entries.sort(Comparator.comparing(e -> e.aliases().stream().noneMatch(cloudflareId::equalsIgnoreCase)));
        for (ModelRepository.Entry e : entries) {
            Loaded l;
            try {
                l = start(e);
            } catch (ArgusException x) {
                failedAtStart(e.name(), e.version(), x.getMessage(), e.required());
                continue;
            }
            loaded.put(key(e.name(), e.version()), l);
            serve(l);
        }
        if (catalog.models().isEmpty() && mode != Mode.EXPLICIT) {
            throw ArgusException.configuration("No model of the repository " + settings.get(Key.REPOSITORY)
                    + " could be loaded; see the log for each one's reason.");
        }
    }

    /** {@code argus.repository.startup-models}: the names loaded at start ({@code *}: all). */
    private Set<String> startupModels() {
        Set<String> names = new TreeSet<>();
        for (String n : settings.get(Key.REPOSITORY_STARTUP_MODELS).split(",")) {
            if (!n.isBlank()) {
                names.add(n.strip());
            }
        }
        return names;
    }

    private void failedAtStart(String name, String version, String reason, boolean required) {
        String what = "model '" + name + "'" + (version.isEmpty() ? "" : " version " + version);
        if (required) {
            throw new ArgusException(ErrorCode.CONFIGURATION, "Cannot serve the required " + what + ": " + reason
                    + " (a model that may be left out says required=false in its " + ModelRepository.PROPERTIES + ")");
        }
        LOG.log(System.Logger.Level.WARNING, "Not serving " + what + " (not required): " + reason);
        catalog.failed(name, version, reason);
    }

    /**
     * Warms up every version loaded and not yet warm, then marks it ready. A version that fails its warm-up is not
     * served: the start stops if it is required, else it is released and the index says why.
     */
    synchronized void warmUp() {
        for (Loaded l : List.copyOf(loaded.values())) {
            if (l.warm().get()) {
                continue;
            }
            try {
                WarmUp.run(l.drainable(), warmupRounds);
                l.warm().set(true);
            } catch (RuntimeException e) {
                String name = l.served().name();
                String version = l.served().version();
                loaded.remove(key(name, version));
                withdraw(name, version);
                l.argus().close();
                failedAtStart(name, version, "its warm-up failed: " + e.getMessage(), l.served().required());
            }
        }
    }

    /** In {@code poll} mode: follows the repository every {@code argus.repository.poll-interval-ms}. */
    synchronized void startPolling() {
        if (mode != Mode.POLL || poller != null) {
            return;
        }
        long every = pollMillis;
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "argus-repository-poll");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollOnce, every, every, TimeUnit.MILLISECONDS);
    }

    /** One look at the repository: new or changed models are (re)loaded, models whose folder is gone are unloaded. */
    synchronized void pollOnce() {
        if (closed) {
            return;
        }
        ModelRepository.Scan scan;
        try {
            scan = ModelRepository.scan(settings, cloudflareId);
        } catch (ArgusException e) {
            LOG.log(System.Logger.Level.WARNING, "Polling the repository: " + e.getMessage());
            return;
        }
        Map<String, List<ModelRepository.Entry>> wanted = new LinkedHashMap<>();
        scan.entries().forEach(e -> wanted.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e));
        scan.failures().forEach(f -> wanted.computeIfAbsent(f.name(), k -> new ArrayList<>()));
        for (Map.Entry<String, List<ModelRepository.Entry>> w : wanted.entrySet()) {
            String state = state(w.getValue(), scan.failures().stream().filter(f -> f.name().equals(w.getKey())).toList());
            if (state.equals(currentState(w.getKey())) || state.equals(failedFingerprints.get(w.getKey()))) {
                continue;
            }
            try {
                loadLocked(w.getKey(), scan);
                failedFingerprints.remove(w.getKey());
            } catch (ArgusException e) {
                failedFingerprints.put(w.getKey(), state);
                LOG.log(System.Logger.Level.WARNING, "Polling the repository: " + e.getMessage());
            }
        }
        for (String name : loadedNames()) {
            if (!wanted.containsKey(name)) {
                LOG.log(System.Logger.Level.INFO, "Model ''{0}'' left the repository: unloading it", name);
                unloadLocked(name);
            }
        }
        // a model whose folder is gone is no longer listed, not even as a failed load
        for (ModelCatalog.Unavailable u : catalog.unavailable()) {
            if (!wanted.containsKey(u.name()) && loadedNames().stream().noneMatch(u.name()::equals)) {
                catalog.forget(u.name());
            }
        }
        failedFingerprints.keySet().retainAll(wanted.keySet());
    }

    private String state(List<ModelRepository.Entry> entries, List<ModelRepository.Failure> failures) {
        StringBuilder sb = new StringBuilder();
        entries.stream().sorted(Comparator.comparing(ModelRepository.Entry::version))
                .forEach(e -> sb.append(e.version()).append('=').append(fingerprint(e)).append(';'));
        failures.forEach(f -> sb.append("failed:").append(f.version()).append(':').append(f.reason()).append(';'));
        return sb.toString();
    }

    private String currentState(String name) {
        StringBuilder sb = new StringBuilder();
        loaded.values().stream().filter(l -> l.served().name().equals(name))
                .sorted(Comparator.comparing(l -> l.served().version()))
                .forEach(l -> sb.append(l.served().version()).append('=').append(l.fingerprint()).append(';'));
        return sb.toString();
    }

    private List<String> loadedNames() {
        return loaded.values().stream().map(l -> l.served().name()).distinct().toList();
    }

    @Override
    public List<String> refusal() {
        return switch (mode) {
            case EXPLICIT -> List.of();
            case NONE -> List.of("Model control is off (argus.repository.control=none): the repository is read at start. "
                    + "Set it to explicit to load and unload models through this API.");
            case POLL -> List.of("The repository is polled (argus.repository.control=poll): change its folders instead. "
                    + "Set argus.repository.control=explicit to load and unload models through this API.");
        };
    }

    @Override
    public synchronized void load(String name) {
        checkOpen();
        loadLocked(name, ModelRepository.scan(settings, cloudflareId));
    }

    private void loadLocked(String name, ModelRepository.Scan scan) {
        List<ModelRepository.Entry> entries = scan.entries().stream().filter(e -> e.name().equals(name)).toList();
        List<ModelRepository.Failure> failures = scan.failures().stream().filter(f -> f.name().equals(name)).toList();
        if (entries.isEmpty() && failures.isEmpty()) {
            throw ArgusException.invalidInput("The repository holds no model '" + name + "' (a folder of that name).");
        }
        if (!failures.isEmpty()) {
            failures.forEach(f -> catalog.failed(f.name(), f.version(), f.reason()));
            throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "Cannot load model '" + name + "': "
                    + String.join("; ", failures.stream().map(ModelRepository.Failure::reason).toList())
                    + " What was served stays served.");
        }
        // load and warm up every new or changed version first; only then change what is served
        List<Loaded> fresh = new ArrayList<>();
        for (ModelRepository.Entry e : entries) {
            Loaded old = loaded.get(key(name, e.version()));
            if (old != null && old.fingerprint().equals(fingerprint(e))) {
                continue;
            }
            try {
                Loaded l = start(e);
                fresh.add(l);
                WarmUp.run(l.drainable(), warmupRounds);
                l.warm().set(true);
            } catch (RuntimeException x) {
                fresh.forEach(l -> l.argus().close());
                String reason = x.getMessage();
                catalog.failed(name, e.version(), reason);
                LOG.log(System.Logger.Level.WARNING, "Loading model ''{0}'' version {1} failed; what was served stays "
                        + "served: {2}", name, e.version(), reason);
                throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "Cannot load model '" + name + "' version "
                        + e.version() + ": " + reason + " What was served stays served.", x);
            }
        }
        for (Loaded l : fresh) {
            Loaded old = loaded.put(key(name, l.served().version()), l);
            serve(l);
            if (old != null) {
                retire(old, () -> catalog.find(name, old.served().version()));
            }
            LOG.log(System.Logger.Level.INFO, "Serving model ''{0}'' version {1}{2}", name, l.served().version(),
                    old == null ? "" : " (reloaded)");
        }
        Set<String> versions = new TreeSet<>(entries.stream().map(ModelRepository.Entry::version).toList());
        for (Loaded l : List.copyOf(loaded.values())) {
            if (l.served().name().equals(name) && !versions.contains(l.served().version())) {
                loaded.remove(key(name, l.served().version()));
                withdraw(name, l.served().version());
                retire(l, () -> catalog.find(name, ""));
                LOG.log(System.Logger.Level.INFO, "Unloaded model ''{0}'' version {1} (no longer in its version policy)",
                        name, l.served().version());
            }
        }
    }

    @Override
    public synchronized void unload(String name) {
        checkOpen();
        if (loaded.values().stream().noneMatch(l -> l.served().name().equals(name))) {
            throw ArgusException.invalidInput("No model '" + name + "' is loaded; loaded: "
                    + (loaded.isEmpty() ? "none" : String.join(", ", loadedNames())) + ".");
        }
        unloadLocked(name);
    }

    private void unloadLocked(String name) {
        for (Loaded l : List.copyOf(loaded.values())) {
            if (l.served().name().equals(name)) {
                loaded.remove(key(name, l.served().version()));
                withdraw(name, l.served().version());
                retire(l, Optional::empty);
                LOG.log(System.Logger.Level.INFO, "Unloaded model ''{0}'' version {1}", name, l.served().version());
            }
        }
    }

    /** Into service: requests may name it now. */
    private void serve(Loaded l) {
        engines.put(l.served().name(), l.served().version(), l.facts());
        catalog.put(l.served());
    }

    /** Out of the catalog (and the metrics): requests no longer find it. */
    private void withdraw(String name, String version) {
        catalog.remove(name, version);
        engines.remove(name, version);
    }

    /** Out of service: late calls go to the successor; the engine is released once the calls in flight have finished. */
    private void retire(Loaded l, java.util.function.Supplier<Optional<ServedModel>> successor) {
        l.drainable().retire(successor);
        if (!l.drainable().drain(drainMax)) {
            LOG.log(System.Logger.Level.WARNING, "Model {0}: {1} call(s) still in flight after {2} ms; releasing it anyway",
                    l.served().describe(), l.drainable().inFlight(), drainMax.toMillis());
        }
        l.argus().close();
    }

    private Loaded start(ModelRepository.Entry e) {
        LOG.log(System.Logger.Level.INFO, "Loading model ''{0}'' version {1}", e.name(), e.version());
        String fingerprint = fingerprint(e);
        long t0 = System.nanoTime();
        Argus argus = Argus.start(ArgusConfig.from(e.settings(), env), ModelSource.ProgressListener.NONE, shared, tracing);
        EngineFacts.Facts facts = EngineFacts.Facts.of(argus.config(), (System.nanoTime() - t0) / 1e9);
        try {
            DrainableModel d = new DrainableModel("'" + e.name() + "' version " + e.version(), argus.useCase(),
                    argus.tensorUseCase().orElse(null));
            AtomicBoolean warm = new AtomicBoolean();
            ServedModel served = new ServedModel(e.name(), e.version(), d, d.tensors(), e.aliases(), e.required(), warm::get,
                    argus.statistics());
            return new Loaded(argus, d, served, warm, fingerprint, facts);
        } catch (RuntimeException x) {
            argus.close();
            throw x;
        }
    }

    /** What a version was loaded from: its settings and every file under its folder (size and time). */
    private static String fingerprint(ModelRepository.Entry e) {
        StringBuilder sb = new StringBuilder(e.settings().dump()).append(e.aliases()).append(e.required());
        String location = e.settings().get(Key.MODEL);
        Path p = Path.of(location.startsWith("hf:") ? "." : location);
        Path dir = Files.isDirectory(p) ? p : p.getParent();
        if (location.startsWith("hf:") || dir == null) {
            return sb.toString();
        }
        try (Stream<Path> files = Files.walk(dir, 4)) {
            files.sorted().forEach(f -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    sb.append('\n').append(dir.relativize(f)).append(' ').append(a.size()).append(' ')
                            .append(a.lastModifiedTime().toMillis());
                } catch (IOException x) {
                    sb.append('\n').append(f).append(" unreadable");
                }
            });
        } catch (IOException | RuntimeException x) {
            sb.append("\nunlisted ").append(x.getMessage());
        }
        return sb.toString();
    }

    private void checkOpen() {
        if (closed) {
            throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The server is shutting down: models are not loaded or unloaded now.");
        }
    }

    private static String key(String name, String version) {
        return name + "\u0000" + version;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (poller != null) {
            poller.shutdownNow();
        }
        for (Loaded l : loaded.values()) {
            l.argus().close();
        }
        loaded.clear();
        shared.close();
    }
}

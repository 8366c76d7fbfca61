package dev.argus.app.config;

import dev.argus.domain.ArgusException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A model repository ({@code argus.repository}): a directory holding one folder per model, named as the model, and in
 * it one folder per version, named by a positive number, as Triton's:
 *
 * <pre>
 * repository/
 *   resnet-50/
 *     model.properties      optional: aliases, required, versions, and argus.* keys for this model alone
 *     1/                    model.onnx (or model.pt, saved_model/), or a Hugging Face folder:
 *                           config.json + preprocessor_config.json beside the model file
 *     2/
 * </pre>
 *
 * A model whose {@code model.properties} sets {@code argus.model} (a file, or {@code hf://OWNER/REPO}) needs no
 * version folder: it is version 1. This class reads the layout and each model's configuration; it loads nothing.
 */
public final class ModelRepository {
    public static final String PROPERTIES = "model.properties";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");
    /** The keys of model.properties that are not argus.* keys. */
    static final List<String> OWN_KEYS = List.of("aliases", "required", "versions");
    /** The argus.* keys a model may set for itself: what describes, runs and sizes one model. */
    private static final List<String> MODEL_PREFIXES = List.of("argus.backend", "argus.model", "argus.inference.",
            "argus.onnx.", "argus.djl.", "argus.tensorrt.", "argus.cloudflare.", "argus.grpc-backend.");
    /** Keys whose relative paths are resolved against the version folder. */
    private static final List<Key> PATH_KEYS = List.of(Key.MODEL, Key.MODEL_LABELS, Key.MODEL_PREPROCESSOR_CONFIG);

    /**
     * One model version to serve.
     *
     * @param settings the server's settings with this model's own on top (its name, location and model.properties)
     * @param aliases  other names it answers to (Cloudflare ids)
     * @param required whether the server is ready only with it, and does not start without it
     */
    public record Entry(String name, String version, Settings settings, List<String> aliases, boolean required) {
    }

    /** A model version that cannot be served as configured, and why. */
    public record Failure(String name, String version, String reason, boolean required) {
    }

    /** What the repository holds: the model versions to load, and those already known to be broken. */
    public record Scan(List<Entry> entries, List<Failure> failures) {
    }

    private ModelRepository() {
    }

    /** Whether the settings name a repository. */
    public static boolean configured(Settings s) {
        return !s.get(Key.REPOSITORY).isBlank();
    }

    /**
     * Reads the repository the settings name.
     *
     * @param cloudflareId the Cloudflare model id the server answers for ({@code @cf/microsoft/resnet-50}): a model
     *                     named as its last part ({@code resnet-50}) gets it as an alias unless a model claims it
     * @throws ArgusException {@code CONFIGURATION} when the repository itself is unusable, or when per-model keys are
     *                        set for the whole server
     */
    public static Scan scan(Settings base, String cloudflareId) {
        Path dir = Path.of(base.get(Key.REPOSITORY).strip());
        if (!Files.isDirectory(dir)) {
            throw ArgusException.configuration("The model repository " + dir + " (argus.repository, from "
                    + base.source(Key.REPOSITORY) + ") is not a directory.");
        }
        List<String> global = Arrays.stream(Key.values()).filter(k -> k.key().startsWith("argus.model")
                && !ArgusConfig.isDefault(base, k)).map(k -> k.key() + " (from " + base.source(k) + ")").toList();
        if (!global.isEmpty()) {
            throw ArgusException.configuration("With a model repository (argus.repository), each model is described in its "
                    + "own folder: set " + String.join(", ", global) + " in the model's " + PROPERTIES + " instead.");
        }
        List<Path> folders;
        try (Stream<Path> s = Files.list(dir)) {
            folders = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw ArgusException.configuration("Cannot list the model repository " + dir + ": " + e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (Path folder : folders) {
            model(folder, base, entries, failures);
        }
        if (entries.isEmpty() && failures.isEmpty()) {
            throw ArgusException.configuration("The model repository " + dir + " holds no model: give each model a folder "
                    + "(<name>/1/model.onnx, or <name>/" + PROPERTIES + " with argus.model).");
        }
        return new Scan(aliased(entries, cloudflareId), failures);
    }

    private static void model(Path folder, Settings base, List<Entry> entries, List<Failure> failures) {
        String name = folder.getFileName().toString();
        Properties props = new Properties();
        Path file = folder.resolve(PROPERTIES);
        boolean required = true;
        try {
            if (!NAME.matcher(name).matches()) {
                throw ArgusException.configuration("The folder name '" + name + "' is not a model name: use letters, digits, "
                        + "'.', '_' and '-', starting with a letter or digit.");
            }
            if (Files.isRegularFile(file)) {
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    props.load(r);
                } catch (IOException | IllegalArgumentException e) {
                    throw ArgusException.configuration("Cannot read " + file + ": " + e.getMessage());
                }
            }
            required = bool(props, "required", file);
            List<String> aliases = Arrays.stream(props.getProperty("aliases", "").split(",")).map(String::strip)
                    .filter(a -> !a.isEmpty()).toList();
            for (String key : new TreeSet<>(props.stringPropertyNames())) {
                if (!OWN_KEYS.contains(key) && MODEL_PREFIXES.stream().noneMatch(key::startsWith)) {
                    throw ArgusException.configuration("Unknown key '" + key + "' in " + file + ": a model's " + PROPERTIES
                            + " takes " + String.join(", ", OWN_KEYS) + " and the keys starting with "
                            + String.join(", ", MODEL_PREFIXES) + " (server keys belong in the server's configuration).");
                }
            }
            String location = props.getProperty(Key.MODEL.key(), "").strip();
            List<String> versions = versions(folder);
            if (versions.isEmpty()) {
                if (location.isEmpty()) {
                    throw ArgusException.configuration("The model folder " + folder + " has no version folder (1/, 2/, ...) "
                            + "and its " + PROPERTIES + " sets no argus.model.");
                }
                entries.add(new Entry(name, "1", settings(base, name, folder, folder, props, file), aliases, required));
                return;
            }
            for (String v : chosen(versions, props.getProperty("versions", "latest").strip(), file)) {
                Path vdir = folder.resolve(v);
                try {
                    entries.add(new Entry(name, v, settings(base, name, folder, vdir, props, file), aliases, required));
                } catch (ArgusException e) {
                    failures.add(new Failure(name, v, e.getMessage(), required));
                }
            }
        } catch (ArgusException e) {
            failures.add(new Failure(name, "", e.getMessage(), required));
        }
    }

    /** The version folders, newest first. */
    private static List<String> versions(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> VERSION.matcher(n).matches())
                    .sorted(Comparator.comparingLong((String n) -> Long.parseLong(n)).reversed()).toList();
        } catch (IOException e) {
            throw ArgusException.configuration("Cannot list the model folder " + folder + ": " + e.getMessage());
        }
    }

    /** The versions a {@code versions} policy serves: {@code latest}, {@code all} or a list such as {@code 1,3}. */
    static List<String> chosen(List<String> newestFirst, String policy, Path file) {
        String p = policy.toLowerCase(Locale.ROOT);
        if (p.equals("latest")) {
            return newestFirst.subList(0, 1);
        }
        if (p.equals("all")) {
            return newestFirst;
        }
        List<String> listed = Arrays.stream(policy.split(",")).map(String::strip).toList();
        for (String v : listed) {
            if (!VERSION.matcher(v).matches()) {
                throw ArgusException.configuration("versions = '" + policy + "' in " + file + ": use latest, all, or version "
                        + "numbers separated by commas (1,2).");
            }
            if (!newestFirst.contains(v)) {
                throw ArgusException.configuration("versions = '" + policy + "' in " + file + " names version " + v
                        + ", which has no folder; the folders are " + String.join(", ", newestFirst) + ".");
            }
        }
        return listed;
    }

    private static Settings settings(Settings base, String name, Path folder, Path versionDir, Properties props, Path file) {
        Settings s = base.copy();
        String source = Files.isRegularFile(file) ? file.toString() : "repository " + folder;
        s.set(Key.MODEL_NAME, name, "repository folder " + folder);
        s.set(Key.MODEL, location(versionDir, props, base), "repository folder " + versionDir);
        for (String key : new TreeSet<>(props.stringPropertyNames())) {
            if (OWN_KEYS.contains(key)) {
                continue;
            }
            String value = props.getProperty(key).strip();
            Optional<Key> k = Key.byName(key);
            if (k.isPresent() && PATH_KEYS.contains(k.get())) {
                value = resolve(versionDir, value);
            }
            s.set(key, value, source);
        }
        return s;
    }

    /** Where the model of a version folder is: the folder, when in Hugging Face layout, else its model file. */
    private static String location(Path versionDir, Properties props, Settings base) {
        String set = props.getProperty(Key.MODEL.key(), "").strip();
        if (!set.isEmpty()) {
            return resolve(versionDir, set);
        }
        if (HuggingFaceFolder.at(versionDir.toString()).isPresent()) {
            return versionDir.toAbsolutePath().toString();
        }
        String backend = props.getProperty(Key.BACKEND.key(), base.get(Key.BACKEND)).strip().toLowerCase(Locale.ROOT);
        return HuggingFaceFolder.modelFile(versionDir.toAbsolutePath(), backend, "The version folder ").toString();
    }

    /** A relative local path against the version folder; other values (absolute, hf://, imagenet-1k) as they are. */
    private static String resolve(Path versionDir, String value) {
        if (value.isEmpty() || value.equals("imagenet-1k") || value.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")) {
            return value;
        }
        Path p = Path.of(value);
        return p.isAbsolute() ? value : versionDir.resolve(p).toAbsolutePath().normalize().toString();
    }

    private static boolean bool(Properties props, String key, Path file) {
        String v = props.getProperty(key, "true").strip().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw ArgusException.configuration(key + " = '" + props.getProperty(key) + "' in " + file + ": use true or false.");
        }
        return v.equals("true");
    }

    /**
     * The one model version of the repository a command names, as a server resolves it: by name or alias (any case;
     * empty = the default model, the one answering to {@code cloudflareId}, else the first by name) and version (empty =
     * the newest served).
     */
    public static Entry select(Settings base, String cloudflareId, String name, String version) {
        Scan scan = scan(base, cloudflareId);
        List<Entry> candidates = scan.entries().stream().filter(e -> name.isEmpty() ? true
                : e.name().equalsIgnoreCase(name) || e.aliases().stream().anyMatch(name::equalsIgnoreCase)).toList();
        if (name.isEmpty()) {
            String first = candidates.stream().filter(e -> e.aliases().stream().anyMatch(cloudflareId::equalsIgnoreCase))
                    .map(Entry::name).findFirst().orElse(candidates.isEmpty() ? "" : candidates.get(0).name());
            candidates = candidates.stream().filter(e -> e.name().equals(first)).toList();
        }
        Optional<Entry> chosen = candidates.stream().filter(e -> version.isEmpty() || e.version().equals(version))
                .max(Comparator.comparingLong(e -> Long.parseLong(e.version())));
        if (chosen.isPresent()) {
            return chosen.get();
        }
        Optional<Failure> broken = scan.failures().stream().filter(f -> f.name().equalsIgnoreCase(name)
                && (version.isEmpty() || f.version().isEmpty() || f.version().equals(version))).findFirst();
        if (broken.isPresent()) {
            throw ArgusException.configuration("The model '" + broken.get().name() + "' cannot be served: " + broken.get().reason());
        }
        throw ArgusException.configuration("The repository " + base.get(Key.REPOSITORY) + " serves no model '" + name + "'"
                + (version.isEmpty() ? "" : " version " + version) + "; it serves " + String.join(", ", scan.entries().stream()
                .map(e -> e.name() + " (version " + e.version() + ")").toList()) + ".");
    }

    /** Gives Cloudflare's id to the model named as its last part, unless some model lists it. */
    private static List<Entry> aliased(List<Entry> entries, String cloudflareId) {
        if (cloudflareId.isBlank() || entries.stream().anyMatch(e -> e.aliases().stream().anyMatch(cloudflareId::equalsIgnoreCase))) {
            return entries;
        }
        String shortName = cloudflareId.substring(cloudflareId.lastIndexOf('/') + 1);
        return entries.stream().map(e -> {
            if (!e.name().equalsIgnoreCase(shortName)) {
                return e;
            }
            List<String> a = new ArrayList<>(e.aliases());
            a.add(cloudflareId);
            return new Entry(e.name(), e.version(), e.settings(), a, e.required());
        }).toList();
    }
}

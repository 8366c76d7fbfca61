package dev.argus.app.cli;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.Settings;
import dev.argus.domain.ArgusException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by every command: where configuration comes from and the most common overrides. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (default: $ARGUS_CONFIG; none otherwise).")
    Path configFile;

    @Option(names = "--backend", paramLabel = "NAME", description = "Inference backend (argus.backend).")
    String backend;

    @Option(names = "--model", paramLabel = "LOCATION", description = "Model file, Hugging Face model folder, or hf:// location: hf://OWNER/REPO/PATH or hf://OWNER/REPO (argus.model).")
    String model;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE", description = "Set any configuration key, e.g. -D argus.inference.workers=2.")
    List<String> overrides = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "Only warnings and errors on stderr.")
    boolean quiet;

    /** Defaults, then the file, then the environment, then these flags. */
    public Settings settings(Map<String, String> env) {
        Settings s = Settings.defaults();
        Path file = configFile;
        if (file == null && env.get("ARGUS_CONFIG") != null) {
            file = Paths.get(env.get("ARGUS_CONFIG"));
        }
        if (file == null && Files.isRegularFile(Paths.get("argus.properties"))) {
            // Not read: the working directory may be writable by others (a container's data volume), and what it holds
            // would be trusted. Configuration comes only from a file named on purpose.
            System.getLogger(ConfigOptions.class.getName()).log(System.Logger.Level.WARNING, "Ignoring ./argus.properties: "
                    + "configuration is read only from a file named by --config or ARGUS_CONFIG.");
        }
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw ArgusException.configuration("Configuration file " + file + " does not exist.");
            }
            s.withFile(file);
        }
        s.withEnvironment(env);
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw ArgusException.configuration("--set expects KEY=VALUE, got '" + o + "'.");
            }
            s.set(o.substring(0, eq).trim(), o.substring(eq + 1).trim(), "flag --set");
        }
        if (backend != null) {
            s.set(Key.BACKEND, backend, "flag --backend");
        }
        if (model != null) {
            s.set(Key.MODEL, model, "flag --model");
        }
        Logging.use(dev.argus.app.config.LogFormat.from(s));
        return s;
    }

    /** The {@code --backend} flag, or null. */
    public String backendFlag() {
        return backend;
    }

    /** The {@code --model} flag, or null. */
    public String modelFlag() {
        return model;
    }

    public ArgusConfig config(Map<String, String> env) {
        return ArgusConfig.from(settings(env), env);
    }
}

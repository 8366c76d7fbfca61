package dev.argus.app.tune;

import dev.argus.app.config.ArgusConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Puts the setting {@code argus tune} measured in place of the sizing rule, at start, once the model file is known.
 * Sizing keys the user set win: a tuned setting is used whole or not at all.
 */
public final class Tuning {
    private static final System.Logger LOG = System.getLogger(Tuning.class.getName());

    private Tuning() {
    }

    /** What applies and why. */
    public record Lookup(Optional<TuningStore.Tuned> tuned, ArgusConfig config) {
    }

    /** {@code config} sized by its tuned setting where there is one that may be used; the sizing source says which. */
    public static Lookup apply(ArgusConfig config, Path model) {
        if (config.backend().remote()) {
            return new Lookup(Optional.empty(), config);
        }
        ArgusConfig.Sizing sizing = config.inference().sizing();
        if (!sizing.tuning()) {
            return new Lookup(Optional.empty(), config.withSizingSource(ruleSource(config, "argus.inference.tuning=false")));
        }
        TuningStore store = new TuningStore(config.dataDir());
        if (store.isEmpty()) {
            return new Lookup(Optional.empty(), config.withSizingSource(ruleSource(config, "no argus tune setting in " + store.dir())));
        }
        TuningStore.Subject subject = subject(config, model);
        Optional<TuningStore.Tuned> tuned;
        try {
            tuned = store.find(subject);
        } catch (dev.argus.domain.ArgusException e) { // a damaged file must not stop a server: the rule serves
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
            return new Lookup(Optional.empty(), config.withSizingSource(ruleSource(config, e.getMessage())));
        }
        if (tuned.isEmpty()) {
            return new Lookup(Optional.empty(), config.withSizingSource(ruleSource(config,
                    "argus tune has not measured this model, backend and device on " + subject.cpu())));
        }
        TuningStore.Tuned t = tuned.get();
        if (!sizing.userSet().isEmpty()) {
            return new Lookup(tuned, config.withSizingSource("configuration: " + String.join(", ", sizing.userSet())
                    + "; the tuned setting " + t.file() + " is not used"));
        }
        return new Lookup(tuned, config.withSizing(t.workers(), t.threads(), t.maxBatch(), "argus tune: " + t.describe()));
    }

    public static TuningStore.Subject subject(ArgusConfig config, Path model) {
        return new TuningStore.Subject(config.backend().id(), config.engineDevice(), ModelHash.of(model),
                CpuIdentity.here(config.inference().cpus()));
    }

    private static String ruleSource(ArgusConfig config, String why) {
        ArgusConfig.Sizing sizing = config.inference().sizing();
        return sizing.userSet().isEmpty() ? "rule (" + why + ")" : "configuration: " + String.join(", ", sizing.userSet());
    }
}

package dev.argus.ports.in;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One model version a server serves: what classifies with it, and how requests may name it.
 *
 * @param name     the model's name ({@code resnet-50}, {@code microsoft/resnet-50})
 * @param version  its version ({@code 1}, {@code 2}, ...)
 * @param useCase  what classifies images with it
 * @param tensors  tensor-level inference, when the model runs here (not for remote backends)
 * @param aliases  other names it answers to, exactly (any case): Cloudflare ids such as {@code @cf/microsoft/resnet-50}
 * @param required whether the server is ready only when this model is
 * @param ready    true once the model is loaded and warmed up
 * @param statistics its engine stage's statistics, when the model runs here
 */
public record ServedModel(String name, String version, ClassifyImageUseCase useCase, Optional<InferTensorUseCase> tensors,
                          List<String> aliases, boolean required, BooleanSupplier ready,
                          Optional<java.util.function.Supplier<InferenceStatistics>> statistics) {
    /** A model without engine statistics (remote, or a test's). */
    public ServedModel(String name, String version, ClassifyImageUseCase useCase, Optional<InferTensorUseCase> tensors,
                       List<String> aliases, boolean required, BooleanSupplier ready) {
        this(name, version, useCase, tensors, aliases, required, ready, Optional.empty());
    }

    public ServedModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(useCase, "useCase");
        Objects.requireNonNull(tensors, "tensors");
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(statistics, "statistics");
    }

    /**
     * Whether a request naming {@code asked} means this model: its full name, its short name (after the last '/'),
     * or one of its aliases, in any case.
     */
    public boolean answersTo(String asked) {
        String a = asked.toLowerCase(Locale.ROOT);
        String n = name.toLowerCase(Locale.ROOT);
        if (a.equals(n) || a.equals(n.substring(n.lastIndexOf('/') + 1))) {
            return true;
        }
        return hasAlias(asked);
    }

    /** Whether one of its aliases is {@code id} (any case): how Cloudflare's route finds a model. */
    public boolean hasAlias(String id) {
        return aliases.stream().anyMatch(alias -> alias.equalsIgnoreCase(id));
    }

    public boolean isReady() {
        return ready.getAsBoolean();
    }

    /** {@code name} version {@code version}, for messages. */
    public String describe() {
        return "'" + name + "' version " + version;
    }
}

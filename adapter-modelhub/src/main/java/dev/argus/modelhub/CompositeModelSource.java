package dev.argus.modelhub;

import dev.argus.domain.ArgusException;
import dev.argus.ports.out.ModelSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Hands each location to the first source that supports it; with none, says which syntaxes are accepted. */
final class CompositeModelSource implements ModelSource {
    private final List<ModelSource> sources;

    public CompositeModelSource(List<? extends ModelSource> sources) {
        this.sources = List.copyOf(sources);
        if (this.sources.isEmpty()) {
            throw new IllegalArgumentException("at least one model source is needed");
        }
    }

    public static CompositeModelSource of(ModelSource... sources) {
        return new CompositeModelSource(List.of(sources));
    }

    @Override
    public boolean supports(String location) {
        return sources.stream().anyMatch(s -> s.supports(location));
    }

    @Override
    public Path resolve(String location, ProgressListener progress) {
        if (location == null || location.isBlank()) {
            throw ArgusException.configuration("No model location is set. Accepted: " + accepted() + ".");
        }
        for (ModelSource source : sources) {
            if (source.supports(location)) {
                return source.resolve(location, progress == null ? ProgressListener.NONE : progress);
            }
        }
        throw ArgusException.configuration("Unsupported model location '" + location + "'. Accepted: "
                + accepted() + ".");
    }

    private String accepted() {
        return sources.stream()
                .map(s -> s instanceof LocationSyntax syntax ? syntax.locationSyntax() : s.getClass().getSimpleName())
                .collect(Collectors.joining("; or "));
    }
}

package dev.argus.ports.in;

import java.util.List;

/**
 * Loading and unloading models of a repository while serving (the Open Inference Protocol's repository extension).
 * Requests in flight on a version being replaced or unloaded finish on it; it is released once they have.
 */
public interface ModelControl {

    /** Whether load and unload are allowed ({@code explicit} mode); the reason they are not, otherwise. */
    List<String> refusal();

    /**
     * Loads {@code name} from the repository, or reloads it: the versions its policy names are loaded, warmed up and
     * served, then the versions no longer named are unloaded. When a version fails to load, nothing changes: what was
     * served stays served, and the failure is recorded in the catalog.
     *
     * @throws dev.argus.domain.ArgusException {@code INVALID_INPUT} for a name the repository does not hold,
     *                                         {@code MODEL_UNAVAILABLE} when a version fails to load (saying why)
     */
    void load(String name);

    /**
     * Stops serving every version of {@code name}: new requests are refused at once, those in flight finish, then the
     * engines are released.
     *
     * @throws dev.argus.domain.ArgusException {@code INVALID_INPUT} when no version of it is served
     */
    void unload(String name);
}

package dev.argus.ports.out;

import java.nio.file.Path;

/**
 * Finds a model file: a local path as it is, or a remote model downloaded, verified and cached first.
 */
public interface ModelSource {

    /** Whether this source understands the location ({@code /path/model.onnx}, {@code hf://owner/repo/file}, ...). */
    boolean supports(String location);

    /**
     * Returns a local, verified file for the location, fetching it if needed.
     *
     * @throws dev.argus.domain.ArgusException {@code MODEL_UNAVAILABLE} with a message saying what to download and
     *                                         where to put it when it cannot be had
     */
    Path resolve(String location, ProgressListener progress);

    /** Progress of long work (downloads), for progress bars and logs. */
    @FunctionalInterface
    interface ProgressListener {
        ProgressListener NONE = (done, total) -> { };

        /**
         * @param done  units done so far (bytes)
         * @param total total units, or -1 when unknown
         */
        void progress(long done, long total);
    }
}

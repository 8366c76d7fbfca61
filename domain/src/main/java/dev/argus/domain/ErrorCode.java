package dev.argus.domain;

/**
 * What went wrong, independent of transport. Inbound adapters map each code to an HTTP status or gRPC status in one
 * place.
 */
public enum ErrorCode {
    /** The caller sent something that is not a usable image or option. */
    INVALID_INPUT,
    /** The input exceeds a configured size or pixel limit. */
    INPUT_TOO_LARGE,
    /** The model could not be found, downloaded, verified or loaded. */
    MODEL_UNAVAILABLE,
    /** The engine failed while running a model that had loaded. */
    INFERENCE_FAILED,
    /** A remote backend failed or answered something unusable. */
    REMOTE_FAILURE,
    /** Too many requests in flight; try again later. */
    OVERLOADED,
    /** The request did not finish within its deadline. */
    TIMEOUT,
    /** The configuration is invalid (unknown backend, bad value). */
    CONFIGURATION;

    /**
     * Whether the failure is the server's, not the caller's: its message may name hosts, files and library internals,
     * so a server tells its caller only {@link #publicMessage()} and logs the rest.
     */
    public boolean serverSide() {
        return this == MODEL_UNAVAILABLE || this == INFERENCE_FAILED || this == REMOTE_FAILURE || this == CONFIGURATION;
    }

    /** A fresh reference under which a server logs a failure's detail, for the caller to quote. */
    public static String newReference() {
        return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16);
    }

    /** {@link #publicMessage()} with the reference under which the detail was logged. */
    public String publicMessage(String reference) {
        return publicMessage() + " Reference " + reference + " in the server log.";
    }

    /** What a caller is told about a {@linkplain #serverSide() server-side} failure. */
    public String publicMessage() {
        return switch (this) {
            case MODEL_UNAVAILABLE -> "The model is not available right now; retry later.";
            case REMOTE_FAILURE -> "The inference backend failed or could not be reached; retry later.";
            case INFERENCE_FAILED, CONFIGURATION -> "Internal error while classifying.";
            default -> name();
        };
    }
}

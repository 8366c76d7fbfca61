package dev.argus.domain;

import java.util.Objects;

/**
 * The one unchecked exception family of Argus. Every failure carries an {@link ErrorCode}; messages say what was
 * wrong and, where possible, what to do about it.
 */
public class ArgusException extends RuntimeException {
    private final ErrorCode code;

    public ArgusException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ArgusException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    /** The caller sent something unusable. */
    public static ArgusException invalidInput(String message) {
        return new ArgusException(ErrorCode.INVALID_INPUT, message);
    }

    public static ArgusException invalidInput(String message, Throwable cause) {
        return new ArgusException(ErrorCode.INVALID_INPUT, message, cause);
    }

    public static ArgusException tooLarge(String message) {
        return new ArgusException(ErrorCode.INPUT_TOO_LARGE, message);
    }

    public static ArgusException modelUnavailable(String message, Throwable cause) {
        return new ArgusException(ErrorCode.MODEL_UNAVAILABLE, message, cause);
    }

    public static ArgusException inferenceFailed(String message, Throwable cause) {
        return new ArgusException(ErrorCode.INFERENCE_FAILED, message, cause);
    }

    public static ArgusException configuration(String message) {
        return new ArgusException(ErrorCode.CONFIGURATION, message);
    }
}

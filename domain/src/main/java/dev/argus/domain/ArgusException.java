package dev.argus.domain;

import java.util.Objects;

/**
 * The one unchecked exception family of Argus. Every failure carries an {@link ErrorCode}; messages say what was
 * wrong and, where possible, what to do about it.
 */
public class ArgusException extends RuntimeException {
    private final ErrorCode code;
    private final transient InputField field;

    public ArgusException(ErrorCode code, String message) {
        this(code, message, (Throwable) null);
    }

    public ArgusException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, cause);
    }

    /** @param field the part of the request the error is about, or null */
    public ArgusException(ErrorCode code, String message, InputField field, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
    }

    public ErrorCode code() {
        return code;
    }

    /** The part of the request this error is about, where one is. */
    public java.util.Optional<InputField> field() {
        return java.util.Optional.ofNullable(field);
    }

    /** The caller sent something unusable in one named part of the request. */
    public static ArgusException invalidInput(String message, InputField field) {
        return new ArgusException(ErrorCode.INVALID_INPUT, message, field, null);
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

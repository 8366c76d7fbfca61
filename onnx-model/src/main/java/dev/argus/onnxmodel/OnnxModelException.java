package dev.argus.onnxmodel;

/** A model this library cannot read or rewrite, with a message that says what was found and what to do. */
public final class OnnxModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OnnxModelException(String message) {
        super(message);
    }

    public OnnxModelException(String message, Throwable cause) {
        super(message, cause);
    }
}

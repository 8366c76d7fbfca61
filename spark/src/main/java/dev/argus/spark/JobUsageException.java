package dev.argus.spark;

/** The job was started wrongly: what was wrong and what to do. Exit code 2, one line, no stack trace. */
final class JobUsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JobUsageException(String message) {
        super(message);
    }
}

package dev.argus.spark;

import dev.argus.domain.ArgusException;

/**
 * Makes a task's failure safe to send to the driver. Spark serializes the exception that failed a task; causes from
 * libraries (gRPC's {@code StatusRuntimeException} carries non-serializable metadata) would fail that, and Spark's
 * fallback then needs JDK internals opened. The copy keeps code, message and stack traces, with each cause as a plain
 * exception naming the original class.
 */
final class TaskFailures {
    private TaskFailures() {
    }

    static ArgusException serializable(ArgusException e) {
        ArgusException copy = new ArgusException(e.code(), e.getMessage(), plain(e.getCause()));
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    private static RuntimeException plain(Throwable t) {
        if (t == null) {
            return null;
        }
        RuntimeException copy = new RuntimeException(t.getClass().getName() + ": " + t.getMessage(), plain(t.getCause() == t ? null : t.getCause()));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }
}

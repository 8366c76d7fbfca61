package dev.argus.tensorrt;

import org.bytedeco.tensorrt.nvinfer.ILogger;

/**
 * TensorRT's log, into the JDK logger; keeps the recent errors for messages ({@link RecentErrors}). One per process,
 * never freed: builders, runtimes and the ONNX parser keep a pointer to it.
 */
final class TrtLogger extends ILogger {
    private static final System.Logger LOG = System.getLogger("dev.argus.tensorrt.TensorRT");
    private static TrtLogger shared;
    private final RecentErrors errors = new RecentErrors();

    private TrtLogger() {
        super();
    }

    static synchronized TrtLogger shared() {
        if (shared == null) {
            shared = new TrtLogger();
        }
        return shared;
    }

    @Override
    public void log(ILogger.Severity severity, String msg) {
        int s = severity.value;
        if (s <= ILogger.Severity.kERROR.value) {
            errors.add(msg);
            LOG.log(System.Logger.Level.ERROR, msg);
        } else if (s == ILogger.Severity.kWARNING.value) {
            LOG.log(System.Logger.Level.WARNING, msg);
        } else if (s == ILogger.Severity.kINFO.value) {
            LOG.log(System.Logger.Level.DEBUG, msg);
        } else {
            LOG.log(System.Logger.Level.TRACE, msg);
        }
    }

    /** Take one before a TensorRT call; {@link #errorsSince} then quotes what TensorRT logged during it. */
    long mark() {
        return errors.mark();
    }

    String errorsSince(long mark) {
        return errors.since(mark);
    }
}

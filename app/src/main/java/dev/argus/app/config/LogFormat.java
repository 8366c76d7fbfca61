package dev.argus.app.config;

/** How log records are written on stderr ({@code argus.log.format}). */
public enum LogFormat {
    /** One line each: time, level, logger, message (and a stack trace). */
    TEXT,
    /** One JSON object a line: time, level, logger, message, thread, exception, trace_id. */
    JSON;

    /** The configured format. */
    public static LogFormat from(Settings s) {
        return new ConfigReader(s).choice(Key.LOG_FORMAT, LogFormat.class);
    }
}

package dev.argus.rest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refused requests (429) in the access log as one line per period with their count, instead of a line each: a flood of
 * refusals must not cost a log write each. The line for a period is written by the first refusal after it ends (and
 * names every refusal since the last line); {@code argus_http_requests{status="429"}} counts each one.
 */
final class RefusalLog {
    private final System.Logger log;
    private final long periodNanos;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong lastLine = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);

    RefusalLog(System.Logger log, Duration period) {
        this.log = log;
        this.periodNanos = period.toNanos();
    }

    void refused() {
        count.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLine.get();
        if (now - last >= periodNanos && lastLine.compareAndSet(last, now)) {
            long n = count.getAndSet(0);
            if (n > 0 && log.isLoggable(System.Logger.Level.INFO)) {
                log.log(System.Logger.Level.INFO, "refused {0} request(s) with 429 (overloaded) since the last such line", n);
            }
        }
    }
}

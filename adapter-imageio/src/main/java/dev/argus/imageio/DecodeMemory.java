package dev.argus.imageio;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap that decodes may hold at once, in bytes. A decode reserves what it will allocate (priced from the header
 * before any pixel exists, see {@link OpenedImage#decodeBytes}) and returns it when done; decodes that do not fit wait
 * their turn, first come first served, for at most {@code maxWaitMillis}. One decode that could never fit is refused
 * at once as too large. So many large images at once wait instead of exhausting the heap, whatever their kind: a flat
 * 16-bit RGBA PNG of a few hundred KB costs 11 bytes a pixel to decode, an 8-bit grey JPEG 4.
 */
final class DecodeMemory {
    private static final int UNIT = 1024; // the semaphore counts KiB, so that budgets above 2 GiB fit an int
    private final long capacityBytes;
    private final long maxWaitMillis;
    private final Semaphore units;

    DecodeMemory(long capacityBytes, long maxWaitMillis) {
        if (capacityBytes < UNIT || maxWaitMillis < 0) {
            throw ArgusException.configuration("decode memory must be >= 1 KiB and its wait >= 0, got " + capacityBytes
                    + " bytes and " + maxWaitMillis + " ms");
        }
        this.capacityBytes = Math.min(capacityBytes, (long) Integer.MAX_VALUE * UNIT);
        this.maxWaitMillis = maxWaitMillis;
        this.units = new Semaphore((int) (this.capacityBytes / UNIT), true);
    }

    /** Bytes not reserved now. */
    long availableBytes() {
        return (long) units.availablePermits() * UNIT;
    }

    /**
     * Reserves {@code bytes} to decode a {@code width x height} image (waiting for them), or throws: too large for the
     * budget, timed out, interrupted.
     */
    Lease reserve(long bytes, int width, int height) {
        long needed = Math.max(1, (bytes + UNIT - 1) / UNIT);
        if (needed * UNIT > capacityBytes) {
            throw ArgusException.tooLarge("Decoding a " + width + "x" + height + " image needs about " + mib(bytes) + " of memory, more than the "
                    + mib(capacityBytes) + " all decodes together may use (argus.limits.decode-memory-bytes). Send a "
                    + "smaller image, or one with fewer bits per pixel.");
        }
        boolean got;
        try {
            got = units.tryAcquire((int) needed, maxWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArgusException(ErrorCode.TIMEOUT, "Interrupted while waiting for memory to decode the image.");
        }
        if (!got) {
            throw new ArgusException(ErrorCode.OVERLOADED, "Too many large images are being decoded at once: a " + width + "x"
                    + height + " image (about " + mib(bytes) + ") waited " + maxWaitMillis + " ms for memory. Try again later.");
        }
        return new Lease((int) needed);
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** Memory reserved for one decode; close it when the decoded pixels are no longer needed. */
    final class Lease implements AutoCloseable {
        private int held;

        private Lease(int units) {
            this.held = units;
        }

        @Override
        public void close() {
            if (held > 0) {
                units.release(held);
                held = 0;
            }
        }
    }
}

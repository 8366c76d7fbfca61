package dev.argus.imageio;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An {@code ImageInputStream} that reads the encoded bytes where they lie, optionally leaving out some ranges (a JPEG's
 * ICC segments, which the JDK would otherwise apply). The JDK's {@code MemoryCacheImageInputStream} over a
 * {@code ByteArrayInputStream} copies the whole file into its cache as it is read (1.4 MB for a 1.4 MB photo), and
 * cutting the ICC segments out first copied it twice more; this copies nothing but what a reader asks for.
 */
final class ByteArrayImageStream extends ImageInputStreamImpl {
    private final byte[] data;
    /** The kept ranges: physical {@code [from[i], to[i])} is logical {@code [at[i], at[i] + to[i] - from[i])}. */
    private final int[] from;
    private final int[] to;
    private final long[] at;
    private final long length;
    private int piece;

    private ByteArrayImageStream(byte[] data, int[] from, int[] to) {
        this.data = data;
        this.from = from;
        this.to = to;
        this.at = new long[from.length];
        long logical = 0;
        for (int i = 0; i < from.length; i++) {
            at[i] = logical;
            logical += to[i] - from[i];
        }
        this.length = logical;
    }

    static ByteArrayImageStream of(byte[] data) {
        return new ByteArrayImageStream(Objects.requireNonNull(data, "data"), new int[] {0}, new int[] {data.length});
    }

    /**
     * The bytes without the {@code {start, end}} ranges in {@code cut}, which must be in order, not overlap and lie
     * within the array.
     */
    static ByteArrayImageStream without(byte[] data, List<int[]> cut) {
        Objects.requireNonNull(data, "data");
        int n = cut.size() + 1;
        int[] from = new int[n];
        int[] to = new int[n];
        int p = 0;
        for (int i = 0; i < cut.size(); i++) {
            int[] range = cut.get(i);
            if (range[0] < p || range[1] < range[0] || range[1] > data.length) {
                throw new IllegalArgumentException("ranges out of order or outside the data: " + range[0] + ".." + range[1]);
            }
            from[i] = p;
            to[i] = range[0];
            p = range[1];
        }
        from[n - 1] = p;
        to[n - 1] = data.length;
        return new ByteArrayImageStream(data, from, to);
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (streamPos >= length) {
            return -1;
        }
        int p = physical(streamPos);
        streamPos++;
        return data[p] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        Objects.checkFromIndexSize(off, len, b.length);
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= length) {
            return -1;
        }
        int n = 0;
        while (n < len && streamPos < length) {
            int p = physical(streamPos);
            int k = Math.min(len - n, to[piece] - p);
            System.arraycopy(data, p, b, off + n, k);
            n += k;
            streamPos += k;
        }
        return n;
    }

    @Override
    public long length() {
        return length;
    }

    /**
     * Nothing: there is nothing to release but memory. {@code ImageInputStreamImpl} (Java 17) closes a stream in a
     * finalizer; with it, every stream was registered for finalization, and a dropped stream and the encoded image it
     * reads (a request's whole body) lived on until the finalizer thread had run and another collection came. Under
     * load that carried the body of every request decoded since the last young collection into the survivor space
     * and, when that overflowed, into the old generation: garbage that only a concurrent cycle and its remark pause
     * reclaim. A class whose finalizer is empty is not registered (HotSpot skips it), so its streams die young.
     */
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    protected void finalize() {
        // not registered for finalization: see above
    }

    /** Where logical {@code pos} (below {@link #length}) lies in the array; leaves {@link #piece} at its range. */
    private int physical(long pos) {
        if (pos < at[piece] || pos >= at[piece] + (to[piece] - from[piece])) {
            piece = 0;
            while (pos >= at[piece] + (to[piece] - from[piece])) {
                piece++;
            }
        }
        return (int) (from[piece] + (pos - at[piece]));
    }
}

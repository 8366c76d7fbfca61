package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.List;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

class ByteArrayImageStreamTest {

    static byte[] readAll(ImageInputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[3]; // small, so that reads cross the cut ranges
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static byte[] numbers(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void readsTheWholeArrayAndReportsItsLength() throws IOException {
        byte[] data = numbers(20);
        ByteArrayImageStream s = ByteArrayImageStream.of(data);
        assertThat(s.length()).isEqualTo(20);
        assertThat(readAll(s)).isEqualTo(data);
        assertThat(s.read()).isEqualTo(-1);
        assertThat(s.read(new byte[4], 0, 4)).isEqualTo(-1);
    }

    @Test
    void leavesOutTheCutRangesWhetherReadByByteByBlockOrAfterASeek() throws IOException {
        byte[] data = numbers(20);
        List<int[]> cut = List.of(new int[] {2, 5}, new int[] {5, 7}, new int[] {15, 20});
        byte[] expected = {0, 1, 7, 8, 9, 10, 11, 12, 13, 14};
        assertThat(readAll(ByteArrayImageStream.without(data, cut))).isEqualTo(expected);

        ByteArrayImageStream s = ByteArrayImageStream.without(data, cut);
        assertThat(s.length()).isEqualTo(expected.length);
        for (byte b : expected) {
            assertThat(s.read()).isEqualTo(b & 0xFF);
        }
        assertThat(s.read()).isEqualTo(-1);
        s.seek(1); // backwards, across a cut
        assertThat(s.readUnsignedShort()).isEqualTo(1 << 8 | 7);
        s.seek(9);
        assertThat(s.read()).isEqualTo(14);
        s.seek(0);
        s.skipBytes(3);
        assertThat(s.readByte()).isEqualTo((byte) 8);
    }

    @Test
    void refusesRangesOutOfOrderOrOutsideTheArray() {
        byte[] data = numbers(10);
        assertThatThrownBy(() -> ByteArrayImageStream.without(data, List.of(new int[] {5, 6}, new int[] {2, 3})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteArrayImageStream.without(data, List.of(new int[] {5, 11})))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A dropped stream and the bytes it reads are gone after one collection. ImageInputStreamImpl's finalizer would
     * keep them reachable through that collection (finalizable objects and what they reach are kept for the finalizer
     * thread), so their phantom reference would not be enqueued until a later one.
     */
    @Test
    void aDroppedStreamAndItsBytesAreNotKeptForAFinalizer() throws Exception {
        ReferenceQueue<byte[]> queue = new ReferenceQueue<>();
        PhantomReference<byte[]> bytes = dropped(queue);
        System.gc();
        assertThat(queue.remove(5_000)).as("the bytes, enqueued after one collection").isSameAs(bytes);
    }

    private static PhantomReference<byte[]> dropped(ReferenceQueue<byte[]> queue) throws IOException {
        byte[] data = numbers(4096);
        ByteArrayImageStream in = ByteArrayImageStream.without(data, List.of(new int[] {10, 20}));
        assertThat(in.read()).isZero();
        return new PhantomReference<>(data, queue); // the stream is not closed: dropped as a failed read would drop it
    }
}

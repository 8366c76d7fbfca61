package dev.argus.grpc;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The Open Inference Protocol's raw tensor encoding: row-major, little-endian; a BYTES element is a 4-byte
 * little-endian length and that many bytes. Every length is checked against what is left before anything is copied,
 * and every count against the shape, so a declared size is never a budget.
 */
final class OipTensors {
    private OipTensors() {
    }

    /**
     * The {@code count} BYTES elements of {@code raw}; an error naming {@code field} when the lengths do not add up to
     * exactly its size.
     */
    static List<byte[]> bytesElements(ByteString raw, int count, String field) {
        ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>(Math.min(count, 256));
        for (int i = 0; i < count; i++) {
            if (b.remaining() < 4) {
                throw invalid(field, "holds " + i + " BYTES element(s); the shape says " + count
                        + " (each is a 4-byte little-endian length and the bytes)");
            }
            long n = Integer.toUnsignedLong(b.getInt());
            if (n > b.remaining()) {
                throw invalid(field, "element " + i + " declares " + n + " bytes but " + b.remaining() + " remain");
            }
            byte[] e = new byte[(int) n];
            b.get(e);
            out.add(e);
        }
        if (b.hasRemaining()) {
            throw invalid(field, "has " + b.remaining() + " bytes after the " + count + " element(s) of the shape");
        }
        return out;
    }

    /** {@code count} little-endian FP32 values from {@code raw}, which must hold exactly that many. */
    static float[] fp32(ByteString raw, long count, String field) {
        if (raw.size() != count * 4) {
            throw invalid(field, "holds " + raw.size() + " bytes; the FP32 shape needs " + count * 4 + " (" + count
                    + " values of 4 bytes)");
        }
        float[] out = new float[(int) count];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** BYTES elements as one raw content. */
    static ByteString bytesContent(List<byte[]> elements) {
        int size = 0;
        for (byte[] e : elements) {
            size += 4 + e.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] e : elements) {
            b.putInt(e.length).put(e);
        }
        return ByteString.copyFrom(b.array());
    }

    /** FP32 values as one raw content. */
    static ByteString fp32Content(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return ByteString.copyFrom(b.array());
    }

    static io.grpc.StatusRuntimeException invalid(String field, String what) {
        return GrpcErrors.invalidField(field, field + " " + what + ".");
    }
}

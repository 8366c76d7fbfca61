package dev.argus.tensorrt;

import dev.argus.onnxmodel.OnnxTypes;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.argus.onnxmodel.proto.OnnxSubset.TensorProto;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/** FLOAT tensors rewritten as FLOAT16 ones: same name, shape and other fields, values in {@code raw_data}. */
final class Fp16Tensors {
    private Fp16Tensors() {
    }

    /**
     * {@code t} (FLOAT, values in {@code float_data} or {@code raw_data}) as FLOAT16, values rounded to nearest even.
     * Refuses a finite value that FP16 cannot hold (beyond ±65504: it would become infinity).
     */
    static TensorProto toFloat16(TensorProto t, String what) {
        FloatBuffer values = values(t, what);
        long expected = elementCount(t.getDimsList());
        if (values.remaining() != expected) {
            throw Fp16Eligibility.refuse("holds " + values.remaining() + " values in " + what + " of shape "
                    + t.getDimsList() + " (" + expected + " elements): the model is malformed.");
        }
        byte[] halves = new byte[values.remaining() * 2];
        for (int i = 0; values.hasRemaining(); i += 2) {
            float f = values.get();
            short h = Float16.fromFloat(f);
            if (Float.isFinite(f) && !Float.isFinite(Float16.toFloat(h))) {
                throw Fp16Eligibility.refuse("has the value " + f + " in " + what + ", beyond FP16's range (±65504).");
            }
            halves[i] = (byte) h;
            halves[i + 1] = (byte) (h >>> 8);
        }
        return t.toBuilder()
                .setDataType(OnnxTypes.FLOAT16)
                .clearFloatData()
                .setRawData(UnsafeByteOperations.unsafeWrap(halves))
                .build();
    }

    /** A FLOAT16 tensor of the given values: a scalar (no dims) or a vector. */
    static TensorProto float16(List<Float> values, boolean scalar, String what) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(OnnxTypes.FLOAT).addAllFloatData(values);
        if (!scalar) {
            t.addDims(values.size());
        }
        return toFloat16(t.build(), what);
    }

    private static FloatBuffer values(TensorProto t, String what) {
        if (!t.hasRawData()) {
            float[] data = new float[t.getFloatDataCount()];
            for (int i = 0; i < data.length; i++) {
                data[i] = t.getFloatData(i);
            }
            return FloatBuffer.wrap(data);
        }
        ByteString raw = t.getRawData();
        if (raw.size() % Float.BYTES != 0) {
            throw Fp16Eligibility.refuse("has " + raw.size() + " bytes of raw data in " + what
                    + ", not a whole number of float32 values: the model is malformed.");
        }
        return raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }

    private static long elementCount(List<Long> dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0 || d > Integer.MAX_VALUE) {
                return -1;
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return n;
    }
}

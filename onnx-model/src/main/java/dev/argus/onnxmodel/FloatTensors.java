package dev.argus.onnxmodel;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.argus.onnxmodel.proto.OnnxSubset.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Values of FLOAT tensors read from, and integer tensors written to, {@code TensorProto}s. */
public final class FloatTensors {
    private FloatTensors() {
    }

    /** The values of a FLOAT tensor held in the file ({@code float_data} or little-endian {@code raw_data}). */
    public static float[] values(TensorProto t) {
        if (t.getDataType() != OnnxTypes.FLOAT) {
            throw new OnnxModelException("Tensor '" + t.getName() + "' has data type " + t.getDataType() + ", not FLOAT.");
        }
        if (t.getDataLocation() == OnnxTypes.DATA_LOCATION_EXTERNAL || t.getExternalDataCount() > 0) {
            throw new OnnxModelException("Tensor '" + t.getName() + "' keeps its values in an external file; save the model"
                    + " with every weight inside the .onnx file.");
        }
        float[] out;
        if (t.hasRawData()) {
            ByteString raw = t.getRawData();
            if (raw.size() % Float.BYTES != 0) {
                throw new OnnxModelException("Tensor '" + t.getName() + "' has " + raw.size() + " bytes of raw data, not a"
                        + " whole number of float32 values: the model is malformed.");
            }
            FloatBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            out = new float[b.remaining()];
            b.get(out);
        } else {
            out = new float[t.getFloatDataCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = t.getFloatData(i);
            }
        }
        long expected = 1;
        for (long d : t.getDimsList()) {
            expected *= d;
        }
        if (expected != out.length) {
            throw new OnnxModelException("Tensor '" + t.getName() + "' of shape " + t.getDimsList() + " holds " + out.length
                    + " values: the model is malformed.");
        }
        return out;
    }

    /** A FLOAT tensor: a scalar when {@code dims} is empty. */
    public static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return raw(name, OnnxTypes.FLOAT, b.array(), dims);
    }

    /** An INT8 or UINT8 tensor of {@code values} (each already in the type's range). */
    public static TensorProto bytes(String name, int dataType, byte[] values, long... dims) {
        return raw(name, dataType, values, dims);
    }

    /** An INT32 tensor. */
    public static TensorProto ints(String name, int[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return raw(name, OnnxTypes.INT32, b.array(), dims);
    }

    private static TensorProto raw(String name, int dataType, byte[] data, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(dataType)
                .setRawData(UnsafeByteOperations.unsafeWrap(data));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }
}

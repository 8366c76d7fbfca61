package dev.argus.onnxmodel;

/** ONNX enum values Argus uses: TensorProto.DataType, AttributeProto.AttributeType, TensorProto.DataLocation. */
public final class OnnxTypes {
    public static final int FLOAT = 1;
    public static final int UINT8 = 2;
    public static final int INT8 = 3;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int FLOAT16 = 10;

    public static final int ATTRIBUTE_FLOAT = 1;
    public static final int ATTRIBUTE_INT = 2;
    public static final int ATTRIBUTE_STRING = 3;
    public static final int ATTRIBUTE_TENSOR = 4;
    public static final int ATTRIBUTE_INTS = 7;
    public static final int ATTRIBUTE_GRAPH = 5;
    public static final int ATTRIBUTE_GRAPHS = 10;

    public static final int DATA_LOCATION_EXTERNAL = 1;

    private OnnxTypes() {
    }
}

package dev.argus.tensorrt;

/** The ONNX enum values the FP16 converter uses (TensorProto.DataType, AttributeProto.AttributeType, DataLocation). */
final class OnnxTypes {
    static final int FLOAT = 1;
    static final int FLOAT16 = 10;

    static final int ATTRIBUTE_FLOAT = 1;
    static final int ATTRIBUTE_INT = 2;
    static final int ATTRIBUTE_TENSOR = 4;
    static final int ATTRIBUTE_GRAPH = 5;
    static final int ATTRIBUTE_GRAPHS = 10;

    static final int DATA_LOCATION_EXTERNAL = 1;

    private OnnxTypes() {
    }
}

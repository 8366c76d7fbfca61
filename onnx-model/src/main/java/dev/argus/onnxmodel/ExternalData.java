package dev.argus.onnxmodel;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The external weight files an ONNX model names ({@code TensorProto.external_data} entries with key
 * {@code location}, relative to the model's directory), found by streaming through the model's protobuf without
 * loading its weights: dense and sparse initializers and attribute tensors, in the graph, its subgraphs, local
 * functions and training graphs. (adapter-tensorrt's engine cache key hashes them
 * with the model, so that changed weights are never served from an engine built with the old ones.)
 */
public final class ExternalData {
    // Field numbers of onnx.proto.
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_TRAINING_INFO = 20;
    private static final int MODEL_FUNCTIONS = 25;
    private static final int TRAINING_INITIALIZATION = 1;
    private static final int TRAINING_ALGORITHM = 2;
    private static final int FUNCTION_NODE = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_SPARSE_INITIALIZER = 15;
    private static final int SPARSE_VALUES = 1;
    private static final int SPARSE_INDICES = 2;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_T = 5;
    private static final int ATTRIBUTE_G = 6;
    private static final int ATTRIBUTE_TENSORS = 10;
    private static final int ATTRIBUTE_GRAPHS = 11;
    private static final int ATTRIBUTE_SPARSE_TENSOR = 22;
    private static final int ATTRIBUTE_SPARSE_TENSORS = 23;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;
    private static final int MAX_DEPTH = 32;

    private ExternalData() {
    }

    /**
     * The locations the model at {@code model} names, sorted; empty for a self-contained model. Fails with an
     * {@link IOException} for a file that cannot be read or is not a binary ONNX model (truncated, text format).
     */
    public static Set<String> locations(Path model) throws IOException {
        Set<String> out = new TreeSet<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(model), 1 << 16)) {
            CodedInputStream c = CodedInputStream.newInstance(in);
            c.setSizeLimit(Integer.MAX_VALUE);
            // every length is then checked against what is left of the file: protobuf's own check overflows for a
            // length near 2 GiB without a limit, and its buffer indexes go wrong (found by OnnxFuzzTest)
            c.pushLimit((int) Math.min(Files.size(model), Integer.MAX_VALUE));
            for (int tag; (tag = c.readTag()) != 0; ) {
                if (isMessage(tag, MODEL_GRAPH)) {
                    nested(c, () -> graph(c, out, 0));
                } else if (isMessage(tag, MODEL_TRAINING_INFO)) {
                    nested(c, () -> trainingInfo(c, out));
                } else if (isMessage(tag, MODEL_FUNCTIONS)) {
                    nested(c, () -> function(c, out));
                } else {
                    c.skipField(tag);
                }
            }
        }
        return out;
    }

    private interface Body {
        void read() throws IOException;
    }

    private static void nested(CodedInputStream c, Body body) throws IOException {
        int length = c.readRawVarint32();
        if (length < 0 || length > c.getBytesUntilLimit()) {
            throw new IOException("a message claims " + (length & 0xFFFFFFFFL) + " bytes, more than the "
                    + c.getBytesUntilLimit() + " left around it: the file is truncated or not an ONNX model");
        }
        int limit = c.pushLimit(length);
        body.read();
        if (c.getBytesUntilLimit() > 0) {
            // readTag() also answers 0 at the end of the file: a message cut short.
            throw new IOException("the file ends inside a message (" + c.getBytesUntilLimit() + " bytes missing)");
        }
        c.popLimit(limit);
    }

    private static void trainingInfo(CodedInputStream c, Set<String> out) throws IOException {
        for (int tag; (tag = c.readTag()) != 0; ) {
            if (isMessage(tag, TRAINING_INITIALIZATION) || isMessage(tag, TRAINING_ALGORITHM)) {
                nested(c, () -> graph(c, out, 0));
            } else {
                c.skipField(tag);
            }
        }
    }

    private static void function(CodedInputStream c, Set<String> out) throws IOException {
        for (int tag; (tag = c.readTag()) != 0; ) {
            if (isMessage(tag, FUNCTION_NODE)) {
                nested(c, () -> node(c, out, 0));
            } else {
                c.skipField(tag);
            }
        }
    }

    private static void sparse(CodedInputStream c, Set<String> out) throws IOException {
        for (int tag; (tag = c.readTag()) != 0; ) {
            if (isMessage(tag, SPARSE_VALUES) || isMessage(tag, SPARSE_INDICES)) {
                nested(c, () -> tensor(c, out));
            } else {
                c.skipField(tag);
            }
        }
    }

    private static boolean isMessage(int tag, int field) {
        return WireFormat.getTagFieldNumber(tag) == field && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    private static void graph(CodedInputStream c, Set<String> out, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("subgraphs nested deeper than " + MAX_DEPTH);
        }
        for (int tag; (tag = c.readTag()) != 0; ) {
            if (isMessage(tag, GRAPH_INITIALIZER)) {
                nested(c, () -> tensor(c, out));
            } else if (isMessage(tag, GRAPH_SPARSE_INITIALIZER)) {
                nested(c, () -> sparse(c, out));
            } else if (isMessage(tag, GRAPH_NODE)) {
                nested(c, () -> node(c, out, depth));
            } else {
                c.skipField(tag);
            }
        }
    }

    private static void node(CodedInputStream c, Set<String> out, int depth) throws IOException {
        for (int tag; (tag = c.readTag()) != 0; ) {
            if (isMessage(tag, NODE_ATTRIBUTE)) {
                nested(c, () -> attribute(c, out, depth));
            } else {
                c.skipField(tag);
            }
        }
    }

    private static void attribute(CodedInputStream c, Set<String> out, int depth) throws IOException {
        for (int tag; (tag = c.readTag()) != 0; ) {
            if (isMessage(tag, ATTRIBUTE_T) || isMessage(tag, ATTRIBUTE_TENSORS)) {
                nested(c, () -> tensor(c, out));
            } else if (isMessage(tag, ATTRIBUTE_SPARSE_TENSOR) || isMessage(tag, ATTRIBUTE_SPARSE_TENSORS)) {
                nested(c, () -> sparse(c, out));
            } else if (isMessage(tag, ATTRIBUTE_G) || isMessage(tag, ATTRIBUTE_GRAPHS)) {
                nested(c, () -> graph(c, out, depth + 1));
            } else {
                c.skipField(tag);
            }
        }
    }

    private static void tensor(CodedInputStream c, Set<String> out) throws IOException {
        for (int tag; (tag = c.readTag()) != 0; ) {
            if (isMessage(tag, TENSOR_EXTERNAL_DATA)) {
                nested(c, () -> entry(c, out));
            } else {
                c.skipField(tag);
            }
        }
    }

    private static void entry(CodedInputStream c, Set<String> out) throws IOException {
        String key = null;
        String value = null;
        for (int tag; (tag = c.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case ENTRY_KEY -> key = c.readString();
                case ENTRY_VALUE -> value = c.readString();
                default -> c.skipField(tag);
            }
        }
        if ("location".equals(key) && value != null) {
            out.add(value);
        }
    }
}

package dev.argus.djl;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.argus.ports.model.FloatTensor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/** ONNX Runtime run directly (not through adapter-onnx: adapters never depend on each other), as the reference. */
final class OnnxRuntimeReference implements AutoCloseable {
    private final OrtSession.SessionOptions options;
    private final OrtSession session;

    OnnxRuntimeReference(Path model, int threads) {
        try {
            options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            session = OrtEnvironment.getEnvironment().createSession(model.toString(), options);
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    FloatTensor infer(FloatTensor input) {
        try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(input.data()), input.shape());
             OrtSession.Result r = session.run(Map.of("pixel_values", t))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            FloatBuffer b = out.getFloatBuffer();
            float[] data = new float[b.remaining()];
            b.get(data);
            return new FloatTensor(out.getInfo().getShape(), data);
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    String version() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        options.close();
    }
}

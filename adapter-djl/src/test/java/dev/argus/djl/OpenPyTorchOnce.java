package dev.argus.djl;

import dev.argus.ports.model.FloatTensor;
import java.nio.file.Path;

/** A process that opens a PyTorch model with the given DJL cache dir, classifies one blank image and says "OK". */
public final class OpenPyTorchOnce {
    private OpenPyTorchOnce() {
    }

    public static void main(String[] args) {
        DjlConfig config = DjlConfig.defaults(Path.of(args[0])).withThreads(1, 1);
        try (DjlInferenceEngine e = DjlInferenceEngine.open(DjlModel.of(DjlModel.Engine.PYTORCH, Path.of(args[1])), config)) {
            FloatTensor out = e.infer(new FloatTensor(new long[] {1, 3, 224, 224}, new float[3 * 224 * 224]));
            System.out.println("OK " + java.util.Arrays.toString(out.shape()));
        } catch (RuntimeException | Error e) {
            System.out.println("FAILED " + e);
            System.exit(1);
        }
    }
}

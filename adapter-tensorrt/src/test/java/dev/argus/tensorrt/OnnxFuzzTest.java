package dev.argus.tensorrt;

import dev.argus.onnxmodel.ExternalData;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.argus.domain.ArgusException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ONNX protobuf readers Argus runs on a model file before TensorRT sees it: the external-data scan (which files a
 * model names beside it) and the FP16 converter (parse, eligibility, retyping, boundary casts). A finding is any
 * exception other than the documented refusals (an {@link IOException} from the scan, an {@link ArgusException} from
 * the converter), or a scan that names a location outside the model's folder without saying so.
 */
class OnnxFuzzTest {
    private static Path scratch;

    private static synchronized Path scratch() throws IOException {
        if (scratch == null) {
            scratch = Files.createTempFile("argus-onnx-fuzz", ".onnx");
            scratch.toFile().deleteOnExit();
        }
        return scratch;
    }

    @FuzzTest(maxDuration = "10m")
    void externalDataScan(byte[] model) throws IOException {
        Path file = scratch();
        Files.write(file, model);
        try {
            ExternalData.locations(file);
        } catch (IOException e) {
            // not a binary ONNX model: refused, saying so
        }
    }

    @FuzzTest(maxDuration = "10m")
    void fp16Conversion(byte[] model) {
        try {
            byte[] converted = OnnxFp16Converter.convert(model);
            OnnxFp16Converter.parse(converted); // what it writes, it can read back
        } catch (ArgusException e) {
            // refused, saying why
        }
    }
}

package dev.argus.djl;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.proto.ConfigProto;

/** The per-model load options DJL's engines understand, from Argus's configuration. */
final class ModelOptions {
    private ModelOptions() {
    }

    static Map<String, Object> of(DjlModel.Engine engine, DjlConfig config) {
        Map<String, Object> options = new HashMap<>();
        if (engine == DjlModel.Engine.PYTORCH) {
            options.put("mapLocation", "true"); // load the weights straight onto the model's device
        } else {
            options.put("Tags", "serve");
            options.put("SignatureDefKey", "serving_default");
            ConfigProto.Builder proto = ConfigProto.newBuilder()
                    .setInterOpParallelismThreads(config.interOpThreads())
                    .setAllowSoftPlacement(true)
                    .setUsePerSessionThreads(true); // else the first session or eager context (DJL makes one) sizes a process-wide pool
            if (config.intraOpThreads() > 0) {
                proto.setIntraOpParallelismThreads(config.intraOpThreads());
            }
            options.put("ConfigProto", Base64.getEncoder().encodeToString(proto.build().toByteArray()));
        }
        return options;
    }
}

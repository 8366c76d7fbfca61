package dev.argus.tensorrt;

import dev.argus.onnxmodel.ExternalData;
import dev.argus.domain.ArgusException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything a serialised TensorRT engine depends on: the model's bytes (and those of the external weight files it
 * names), the TensorRT version, the GPU model and its compute capability, the precision, the batch profile and the
 * workspace limit (tactics are chosen within it). Two keys are equal exactly when an engine built for one may be
 * loaded for the other.
 *
 * @param modelName   the model's file name (only to make cache file names readable; not part of identity)
 * @param modelSha256 SHA-256 of the model file, lower-case hex; for a model with external weights, the SHA-256 of the
 *                    model's hash and each external file's name and hash
 */
record EngineCacheKey(String modelName, String modelSha256, String tensorRtVersion, String gpuName,
                             String computeCapability, TensorRtConfig.Precision precision,
                             int minBatch, int optBatch, int maxBatch, long workspaceBytes) {
    /** Bump when the engine build recipe changes so that older cached engines are rebuilt. */
    static final int RECIPE_VERSION = 2;

    public EngineCacheKey {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modelSha256, "modelSha256");
        Objects.requireNonNull(tensorRtVersion, "tensorRtVersion");
        Objects.requireNonNull(gpuName, "gpuName");
        Objects.requireNonNull(computeCapability, "computeCapability");
        Objects.requireNonNull(precision, "precision");
    }

    /** The key for building {@code model} with {@code config}'s precision and profile on {@code device}. */
    public static EngineCacheKey of(Path model, TensorRtConfig config, DeviceInfo device) {
        return new EngineCacheKey(model.getFileName().toString(), modelSha256(model), device.tensorRtVersion(),
                device.name(), device.computeCapability(), config.precision(),
                config.minBatch(), config.optBatch(), config.maxBatch(), config.workspaceBytes());
    }

    /**
     * SHA-256 of the model file; when it names external weight files ({@link ExternalData}), the SHA-256 of that hash
     * and, per file in name order, its name and SHA-256. A named file that is missing fails here, saying which.
     */
    static String modelSha256(Path model) {
        String own = sha256(model);
        java.util.Set<String> locations;
        try {
            locations = ExternalData.locations(model);
        } catch (IOException e) {
            // Not a binary ONNX model we can read through: TensorRT's parser will say what it makes of it.
            System.getLogger(EngineCacheKey.class.getName()).log(System.Logger.Level.WARNING,
                    "Cannot look for external weight files in {0} ({1}); the engine cache key covers the model file only",
                    model, e.getMessage());
            return own;
        }
        if (locations.isEmpty()) {
            return own;
        }
        StringBuilder all = new StringBuilder(own);
        Path dir = model.toAbsolutePath().getParent();
        for (String location : locations) {
            Path file = dir.resolve(location).normalize();
            if (!Files.isRegularFile(file)) {
                throw ArgusException.modelUnavailable("The ONNX model " + model + " keeps weights in '" + location
                        + "', but " + file + " does not exist. Keep the external data files next to the model.", null);
            }
            all.append(';').append(location).append('=').append(sha256(file));
        }
        return HexFormat.of().formatHex(digest(all.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The identity, one line of text, stored in each cache entry's header and compared on load. */
    public String canonical() {
        return "argus-tensorrt-engine/" + RECIPE_VERSION + ";model=" + modelSha256 + ";tensorrt=" + tensorRtVersion
                + ";gpu=" + gpuName + ";cc=" + computeCapability + ";precision=" + precision
                + ";profile=" + minBatch + "/" + optBatch + "/" + maxBatch + ";workspace=" + workspaceBytes;
    }

    /** {@code <model stem>-<precision>-<20 hex digits of the SHA-256 of the canonical key>.engine}. */
    public String fileName() {
        String stem = modelName.replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        if (stem.isEmpty() || stem.startsWith(".")) {
            stem = "model" + stem;
        }
        if (stem.length() > 40) {
            stem = stem.substring(0, 40);
        }
        String hash = HexFormat.of().formatHex(digest(canonical().getBytes(StandardCharsets.UTF_8))).substring(0, 20);
        return stem + "-" + precision.name().toLowerCase(Locale.ROOT) + "-" + hash + ".engine";
    }

    /** SHA-256 of a file, lower-case hex. */
    static String sha256(Path file) {
        MessageDigest md = newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw ArgusException.modelUnavailable("Cannot read model file " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static byte[] digest(byte[] data) {
        return newDigest().digest(data);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

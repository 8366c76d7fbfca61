package dev.argus.djl;

import dev.argus.domain.ArgusException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds TensorFlow's native libraries (TF 2.16.1, CPU, from {@code org.tensorflow:tensorflow-core-native:1.0.0-rc.1},
 * unpacked by the build). DJL's own lookup would download them at run time; Argus never lets it. Looked for, in
 * order: the configured directory ({@code argus.djl.natives-dir}); the system property
 * {@value #PROPERTY}; DJL's {@code TENSORFLOW_LIBRARY_PATH} (environment or system property); {@code natives/tensorflow}
 * beside the distribution's {@code lib/} (found from this class's jar); {@code target/natives/tensorflow} of a build.
 */
final class TensorflowNatives {
    /** System property naming the directory (what the launcher or a test may set). */
    static final String PROPERTY = "argus.djl.tensorflow.natives";
    static final String JNI_LIBRARY = "libjnitensorflow.so";
    private static final List<String> REQUIRED = List.of(JNI_LIBRARY, "libtensorflow_cc.so.2", "libtensorflow_framework.so.2");

    private TensorflowNatives() {
    }

    /** The directory holding the three libraries; fails with {@code MODEL_UNAVAILABLE} naming every place looked at. */
    static Path locate(Optional<Path> configured) {
        Map<String, Path> candidates = new LinkedHashMap<>();
        configured.ifPresent(p -> candidates.put("argus.djl.natives-dir", p));
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            candidates.put("-D" + PROPERTY, Paths.get(prop));
        }
        String djl = System.getenv("TENSORFLOW_LIBRARY_PATH");
        if (djl == null || djl.isBlank()) {
            djl = System.getProperty("TENSORFLOW_LIBRARY_PATH");
        }
        if (djl != null && !djl.isBlank()) {
            candidates.put("TENSORFLOW_LIBRARY_PATH", Paths.get(djl));
        }
        codeLocation().ifPresent(jar -> {
            // distribution: <home>/lib/adapter-djl.jar -> <home>/natives/tensorflow
            // build: adapter-djl/target/classes -> adapter-djl/target/natives/tensorflow
            Path parent = jar.getParent();
            if (parent != null) {
                candidates.putIfAbsent("distribution", parent.resolveSibling("natives").resolve("tensorflow"));
                candidates.putIfAbsent("build", parent.resolve("natives").resolve("tensorflow"));
            }
        });
        List<String> looked = new ArrayList<>();
        for (Map.Entry<String, Path> c : candidates.entrySet()) {
            Path given = c.getValue().toAbsolutePath().normalize();
            Path dir = Files.isRegularFile(given) ? given.getParent() : given;
            List<String> missing = REQUIRED.stream().filter(f -> !Files.isRegularFile(dir.resolve(f))).toList();
            if (missing.isEmpty()) {
                return dir;
            }
            looked.add(dir + " (" + c.getKey() + ": missing " + String.join(", ", missing) + ")");
            if (c.getKey().startsWith("argus") || c.getKey().startsWith("-D")) {
                break; // an explicit setting that is wrong is an error, not a hint to look elsewhere
            }
        }
        throw ArgusException.modelUnavailable("TensorFlow native libraries (TF 2.16.1: " + String.join(", ", REQUIRED)
                + ") not found. Looked in: " + (looked.isEmpty() ? "nowhere" : String.join("; ", looked))
                + ". The distribution ships them in natives/tensorflow; a source build unpacks them from "
                + "org.tensorflow:tensorflow-core-native:1.0.0-rc.1:linux-x86_64 (mvn package in adapter-djl). "
                + "Set argus.djl.natives-dir to the directory that holds them.", null);
    }

    private static Optional<Path> codeLocation() {
        try {
            var src = TensorflowNatives.class.getProtectionDomain().getCodeSource();
            return src == null ? Optional.empty() : Optional.of(Paths.get(src.getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

package dev.argus.tensorrt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * Objects shaped like TensorRT's (src/test/native/standin.cpp), compiled with g++ for the test, so that
 * {@link TrtOwnership} can be checked on a machine without TensorRT.
 */
final class NativeStandIn extends Pointer {
    private static boolean loaded;

    private NativeStandIn(long address) {
        this.address = address;
    }

    /** A new native object with this id, wrapped as the presets wrap a factory's result: no deallocator. */
    static NativeStandIn create(int id) {
        return new NativeStandIn(create0(id));
    }

    /** A new native object shaped like {@code nvonnxparser::IParser}: its deleting destructor is vtable slot 7. */
    static NativeStandIn createParserLike(int id) {
        return new NativeStandIn(createParserLike0(id));
    }

    static synchronized void load(Path workDir) throws IOException, InterruptedException {
        if (loaded) {
            return;
        }
        Path source = Path.of("src/test/native/standin.cpp").toAbsolutePath();
        Path include = Path.of(System.getProperty("java.home"), "include");
        Files.createDirectories(workDir);
        Path lib = workDir.resolve("libargus-standin.so").toAbsolutePath();
        List<String> cmd = List.of("g++", "-std=c++17", "-O1", "-shared", "-fPIC", "-I" + include, "-I" + include.resolve("linux"),
                "-o", lib.toString(), source.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("g++ failed (" + String.join(" ", cmd) + "): " + log);
        }
        Loader.load(org.bytedeco.javacpp.presets.javacpp.class);
        System.load(lib.toString());
        loaded = true;
    }

    private static native long create0(int id);

    private static native long createParserLike0(int id);

    /** Ids of the objects destroyed so far, in order. */
    static native int[] destroyed();
}

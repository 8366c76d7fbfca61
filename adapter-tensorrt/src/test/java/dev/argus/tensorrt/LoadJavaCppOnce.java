package dev.argus.tensorrt;

import org.bytedeco.javacpp.Loader;

/** A process that loads JavaCPP's own JNI library from the cache dir given, checking the cache first or not. */
public final class LoadJavaCppOnce {
    private LoadJavaCppOnce() {
    }

    public static void main(String[] args) {
        System.setProperty("org.bytedeco.javacpp.cachedir", args[0]);
        try {
            if (args[1].equals("checked")) {
                JavaCppCudaNatives.checkCache();
            }
            System.out.println("OK " + Loader.load(org.bytedeco.javacpp.presets.javacpp.class));
        } catch (RuntimeException | Error e) {
            System.out.println("FAILED " + e);
            System.exit(1);
        }
    }
}

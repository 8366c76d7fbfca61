package dev.argus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where benchmarks find their inputs: {@code -Dargus.bench.images} (default ../shared/images) and the test models. The
 * default photo folder is optional and outside the repository (docs/README.md, "Optional material outside the
 * repository"); without it {@link #photo} fails the photo benchmarks' set-up, naming the property to set.
 */
final class BenchInputs {
    private BenchInputs() {
    }

    static Path imagesDir() {
        return Paths.get(System.getProperty("argus.bench.images", "../shared/images"));
    }

    static Path modelsDir() {
        return Paths.get(System.getProperty("argus.test.models", "build/test-models"));
    }

    static byte[] photo(String name) {
        Path p = imagesDir().resolve(name);
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException("benchmark photo " + p + " missing (set -Dargus.bench.images=DIR)", e);
        }
    }

    static long countPhotos() {
        try (Stream<Path> s = Files.list(imagesDir())) {
            return s.filter(p -> p.toString().endsWith(".jpg")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A handle on a package-private constructor ({@code "<init>"}) or method of an adapter class, every reference type
     * erased to {@code Object} (call it with {@code invokeExact} and {@code (Object)} casts): for benchmarks of stages
     * that have no public entry point. The imageio stages stay package-private because the architecture test allows
     * only {@code ImageIo*} classes to be public there. Found by name, which must be unique in the class, so a rename
     * fails the benchmark's set-up naming what is gone. Kept in a {@code static final} field, the JIT inlines it.
     */
    static MethodHandle internal(String className, String name) {
        return internal(className, name, -1);
    }

    /** As {@link #internal(String, String)}, among the members taking {@code parameters} arguments (-1: any). */
    static MethodHandle internal(String className, String name, int parameters) {
        try {
            Class<?> c = Class.forName(className);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
            List<MethodHandle> found = new ArrayList<>();
            if (name.equals("<init>")) {
                for (Constructor<?> k : c.getDeclaredConstructors()) {
                    if (parameters < 0 || k.getParameterCount() == parameters) {
                        found.add(lookup.unreflectConstructor(k));
                    }
                }
            } else {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals(name) && !m.isSynthetic()
                            && (parameters < 0 || m.getParameterCount() == parameters)) {
                        found.add(lookup.unreflect(m));
                    }
                }
            }
            if (found.size() != 1) {
                throw new IllegalStateException(className + " has " + found.size() + " members named " + name
                        + (parameters < 0 ? "" : " taking " + parameters + " argument(s)")
                        + " (expected exactly one): the benchmark needs updating");
            }
            MethodHandle h = found.get(0);
            return h.asType(h.type().erase());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach " + className + "." + name + ": " + e, e);
        }
    }
}

package dev.argus.tensorrt;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Makes {@code close()} free a TensorRT object. TensorRT 10+ objects ({@code IBuilder}, {@code INetworkDefinition},
 * {@code IBuilderConfig}, {@code IHostMemory}, {@code IRuntime}, {@code ICudaEngine}, {@code IExecutionContext}) are
 * released with C++ {@code delete}; the JavaCPP presets (1.5.14) attach no deallocator to the objects that factory
 * functions return, so their {@code close()} frees nothing (bytedeco/javacpp-presets#1699).
 *
 * <p>These classes derive from {@code nvinfer1::INoCopy}, whose only virtual member is the destructor. Under the
 * Itanium C++ ABI (Linux x86-64 and aarch64) the vtable of such a class holds the complete-object destructor in slot 0
 * and the deleting destructor - what {@code delete p} calls - in slot 1. The presets' own generated deallocators for
 * these classes compile to exactly {@code jmp [vtable + 8]}. This class reads that slot and installs it as the
 * object's JavaCPP deallocator, so that {@code close()} runs {@code delete} once. Not for {@code nvonnxparser::IParser}:
 * its destructor sits among other virtual functions, at a slot that changes between versions.
 */
final class TrtOwnership {
    private static final Method INIT;

    static {
        try {
            INIT = Pointer.class.getDeclaredMethod("init", long.class, long.class, long.class, long.class);
            INIT.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("JavaCPP's Pointer.init(long,long,long,long) is not accessible: " + e);
        }
    }

    private TrtOwnership() {
    }

    /**
     * Gives {@code p} a deallocator that runs its virtual deleting destructor; returns {@code p}. Null pointers are
     * returned as they are. Call it once per object, right after TensorRT created it, and never for objects that
     * another object owns (an {@code IOptimizationProfile}, a network's layers and tensors).
     */
    static <P extends Pointer> P own(P p) {
        if (p == null || p.isNull()) {
            return p;
        }
        long deleter = deletingDestructor(p.address());
        try {
            INIT.invoke(p, p.address(), 0L, p.address(), deleter);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot attach a deallocator to " + p.getClass().getSimpleName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot attach a deallocator to " + p.getClass().getSimpleName(), e.getCause());
        }
        return p;
    }

    /** Slot 1 of the vtable of the polymorphic object at {@code address}. */
    static long deletingDestructor(long address) {
        long vtable = word(address, 0);
        if (vtable == 0) {
            throw new IllegalStateException("object at 0x" + Long.toHexString(address) + " has no vtable");
        }
        long fn = word(vtable, 1);
        if (fn == 0) {
            throw new IllegalStateException("vtable at 0x" + Long.toHexString(vtable) + " has no deleting destructor");
        }
        return fn;
    }

    private static long word(long address, int index) {
        try (LongPointer p = new LongPointer(new RawAddress(address))) {
            return p.get(index);
        }
    }

    /** A pointer to a raw native address, owning nothing. */
    private static final class RawAddress extends Pointer {
        RawAddress(long address) {
            this.address = address;
        }
    }
}

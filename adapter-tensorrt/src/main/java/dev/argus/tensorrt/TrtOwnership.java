package dev.argus.tensorrt;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
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
 * object's JavaCPP deallocator, so that {@code close()} runs {@code delete} once.
 *
 * <p>{@code nvonnxparser::IParser} has no {@code INoCopy} base: its virtual destructor is declared after six virtual
 * functions ({@code parse}, {@code parseFromFile}, {@code supportsOperator}, {@code getNbErrors}, {@code getError},
 * {@code clearErrors}), so its destructor pair takes slots 6 and 7 and {@link #ownParser} installs slot 7. That layout
 * is read from the presets' own compiled wrappers ({@code IParserVtableLayoutTest} disassembles
 * {@code libjninvonnxparser.so}: its calls use slots 0-5 and 8 onwards, never 6 or 7), and it holds only for the
 * libraries those wrappers were compiled against, which {@link #ownParser} checks first.
 */
final class TrtOwnership {
    private static final Method INIT;
    /**
     * Every owned object until {@link #release}: JavaCPP runs a pointer's deallocator also when the garbage collector
     * finds the pointer unreachable, on its own thread and in no particular order, which for an engine dropped without
     * {@code close()} could delete it before its execution contexts. Held here, such objects leak instead.
     */
    private static final Set<Pointer> LIVE = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

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
        return own(p, INOCOPY_DELETING_DESTRUCTOR_SLOT);
    }

    /** Slot of the deleting destructor in the vtable of every {@code nvinfer1::INoCopy} class. */
    static final int INOCOPY_DELETING_DESTRUCTOR_SLOT = 1;

    /** Slot of the deleting destructor in the vtable of TensorRT 11.2's {@code nvonnxparser::IParser}. */
    static final int PARSER_DELETING_DESTRUCTOR_SLOT = 7;

    /** The parser version whose vtable layout {@link #PARSER_DELETING_DESTRUCTOR_SLOT} describes (NvOnnxParser.h 0.2.0). */
    static final int PARSER_LAYOUT_VERSION = 200;

    /** The TensorRT major version of the header the presets' wrappers were compiled against. */
    static final int PARSER_LAYOUT_TENSORRT_MAJOR = 11;

    /**
     * Gives the ONNX parser a deallocator that deletes it, when the libraries loaded are those the presets' wrappers
     * were compiled against: the parser library's version ({@code getNvOnnxParserVersion()}) equals the header's
     * ({@link #PARSER_LAYOUT_VERSION}) and TensorRT's major version is {@link #PARSER_LAYOUT_TENSORRT_MAJOR}. The
     * parser version alone does not identify a release (it stayed 0.1.0 from TensorRT 7 to 10); within these, NVIDIA
     * adds virtual functions at the end, after the destructor. Otherwise the parser is left as it is (freed only when
     * the process ends), with a warning. Returns {@code true} when it will be deleted.
     */
    static boolean ownParser(Pointer parser, int libraryVersion, int headerVersion, int tensorRtMajor) {
        if (parser == null || parser.isNull()) {
            return false;
        }
        if (libraryVersion != headerVersion || headerVersion != PARSER_LAYOUT_VERSION || tensorRtMajor != PARSER_LAYOUT_TENSORRT_MAJOR) {
            System.getLogger(TrtOwnership.class.getName()).log(System.Logger.Level.WARNING,
                    "ONNX parser library version {0} (bindings {1}, known layout {2}), TensorRT {3} (known {4}): the parser is"
                            + " not deleted and keeps its memory until the process ends", libraryVersion, headerVersion,
                    PARSER_LAYOUT_VERSION, tensorRtMajor, PARSER_LAYOUT_TENSORRT_MAJOR);
            return false;
        }
        own(parser, PARSER_DELETING_DESTRUCTOR_SLOT);
        return true;
    }

    /** Gives {@code p} a deallocator that runs the virtual deleting destructor at vtable slot {@code slot}. */
    static <P extends Pointer> P own(P p, int slot) {
        attachDeleter(p, slot);
        if (p != null && !p.isNull()) {
            LIVE.add(p);
        }
        return p;
    }

    /** Installs the deleter only, without holding {@code p} (see {@link #LIVE}); {@link #own} does both. */
    static <P extends Pointer> P attachDeleter(P p, int slot) {
        if (p == null || p.isNull()) {
            return p;
        }
        long deleter = deletingDestructor(p.address(), slot);
        try {
            INIT.invoke(p, p.address(), 0L, p.address(), deleter);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot attach a deallocator to " + p.getClass().getSimpleName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot attach a deallocator to " + p.getClass().getSimpleName(), e.getCause());
        }
        return p;
    }

    /** Deletes {@code p} (any pointer; owned ones through their destructor) and forgets it. Null is ignored. */
    static void release(Pointer p) {
        if (p == null) {
            return;
        }
        LIVE.remove(p);
        p.close();
    }

    /** How many owned objects have not been released. */
    static int live() {
        return LIVE.size();
    }

    /** Entry {@code slot} of the vtable of the polymorphic object at {@code address}. */
    static long deletingDestructor(long address, int slot) {
        long vtable = word(address, 0);
        if (vtable == 0) {
            throw new IllegalStateException("object at 0x" + Long.toHexString(address) + " has no vtable");
        }
        long fn = word(vtable, slot);
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

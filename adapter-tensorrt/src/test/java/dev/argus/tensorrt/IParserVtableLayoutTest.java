package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where {@code nvonnxparser::IParser}'s deleting destructor is, read from the presets' own JNI wrappers
 * ({@code libjninvonnxparser.so}, compiled against TensorRT 11.2's {@code NvOnnxParser.h}): each wrapper calls its
 * virtual function through the vtable, so the displacements the wrappers use are the slots of the header's virtual
 * functions. The header declares {@code ~IParser()} after {@code clearErrors} and before
 * {@code getUsedVCPluginLibraries}; the destructor pair (complete, deleting) sits in the two slots between them, which
 * no wrapper calls. If a presets upgrade moves them, this test fails before {@link TrtOwnership#ownParser} deletes
 * through a wrong slot.
 */
class IParserVtableLayoutTest {
    private static final String PREFIX = "Java_org_bytedeco_tensorrt_nvonnxparser_IParser_";
    private static final Pattern FUNCTION = Pattern.compile("^[0-9a-f]+ <([^>]+)>:$");
    private static final Pattern ADDRESS = Pattern.compile("^\\s*[0-9a-f]+:\\s*");
    private static final Pattern COMMENT = Pattern.compile("\\s+#.*$");
    private static final Pattern INDIRECT = Pattern.compile("^(call|jmp)q?\\s+\\*(0x[0-9a-f]+)?\\(%(\\w+)\\)$");
    private static final Pattern THROUGH_REGISTER = Pattern.compile("^(call|jmp)q?\\s+\\*%(\\w+)$");
    private static final Pattern DIRECT_CALL = Pattern.compile("^callq?\\s.*");
    private static final Pattern END_OF_BLOCK = Pattern.compile("^(retq?|jmpq?\\s+[0-9a-f]+\\s.*|jmpq?\\s+[0-9a-f]+)$");
    private static final Pattern COPY = Pattern.compile("^movq?\\s+%(\\w+),%(\\w+)$");
    private static final Pattern LOAD = Pattern.compile("^movq?\\s+(0x[0-9a-f]+)?\\(%(\\w+)\\),%(\\w+)$");
    private static final Pattern WRITES = Pattern.compile(",%(\\w+)$");
    private static final Set<String> CALLER_SAVED = Set.of("rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11");

    /** Vtable displacements (bytes) of the C++ calls each IParser method's wrappers make, by method name. */
    private static Map<String, Set<Long>> displacements;

    @BeforeAll
    static void disassembleTheWrappers() throws IOException, InterruptedException {
        Path lib = Path.of("target/vtable/libjninvonnxparser.so");
        Files.createDirectories(lib.getParent());
        try (InputStream in = nvonnxparser.class.getResourceAsStream("/org/bytedeco/tensorrt/linux-x86_64/libjninvonnxparser.so")) {
            assertThat(in).as("libjninvonnxparser.so of org.bytedeco:tensorrt:linux-x86_64 on the test class path").isNotNull();
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = List.of("objdump", "-d", "--no-show-raw-insn", lib.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("this test needs objdump (Debian: apt-get install binutils): " + e.getMessage(), e);
        }
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
        displacements = parse(lines);
    }

    /**
     * Per wrapper, the displacements of indirect calls through a table that is not the JNI function table: a JNIEnv
     * arrives in {@code %rdi}, may be copied to other registers, and {@code mov (%env),%r} loads its function table;
     * calls through that table ({@code GetLongField}, {@code ThrowNew}, ...) are left out, the rest are the C++
     * object's virtual calls. A linear scan with the register state reset to the env copies in callee-saved registers
     * at each block end ({@code ret}, {@code jmp}), which is how these small wrappers branch.
     */
    static Map<String, Set<Long>> parse(List<String> lines) {
        Map<String, Set<Long>> out = new HashMap<>();
        Set<Long> current = null;
        Set<String> env = new HashSet<>();
        Set<String> envTable = new HashSet<>();
        Set<String> savedEnv = new HashSet<>();
        Map<String, long[]> loaded = new HashMap<>(); // register -> {displacement, 1 if loaded from the JNI table}
        for (String raw : lines) {
            Matcher f = FUNCTION.matcher(raw);
            if (f.matches()) {
                String name = f.group(1).replace("@@Base", "");
                current = null;
                if (name.startsWith(PREFIX)) {
                    String method = name.substring(PREFIX.length());
                    int overload = method.indexOf("__");
                    current = out.computeIfAbsent(overload < 0 ? method : method.substring(0, overload), k -> new TreeSet<>());
                    env.clear();
                    env.add("rdi");
                    envTable.clear();
                    savedEnv.clear();
                    loaded.clear();
                }
                continue;
            }
            if (current == null) {
                continue;
            }
            String ins = COMMENT.matcher(ADDRESS.matcher(raw).replaceFirst("")).replaceFirst("").trim();
            Matcher m;
            if ((m = INDIRECT.matcher(ins)).matches()) {
                if (!envTable.contains(m.group(3))) {
                    current.add(m.group(2) == null ? 0L : Long.decode(m.group(2)));
                }
                afterCall(m.group(1), env, envTable, savedEnv, loaded);
            } else if ((m = THROUGH_REGISTER.matcher(ins)).matches()) {
                long[] l = loaded.get(m.group(2));
                if (l != null && l[1] == 0) {
                    current.add(l[0]);
                }
                afterCall(m.group(1), env, envTable, savedEnv, loaded);
            } else if (DIRECT_CALL.matcher(ins).matches()) {
                afterCall("call", env, envTable, savedEnv, loaded);
            } else if (END_OF_BLOCK.matcher(ins).matches()) {
                afterCall("jmp", env, envTable, savedEnv, loaded);
            } else if ((m = COPY.matcher(ins)).matches()) {
                String from = m.group(1);
                String to = m.group(2);
                set(env, to, env.contains(from));
                if (env.contains(from) && !CALLER_SAVED.contains(to)) {
                    savedEnv.add(to);
                }
                set(envTable, to, envTable.contains(from));
                loaded.remove(to);
            } else if ((m = LOAD.matcher(ins)).matches()) {
                long displacement = m.group(1) == null ? 0L : Long.decode(m.group(1));
                String base = m.group(2);
                String to = m.group(3);
                boolean table = envTable.contains(base);
                boolean loadsTable = displacement == 0 && env.contains(base);
                env.remove(to);
                set(envTable, to, loadsTable);
                loaded.put(to, new long[] {displacement, table || loadsTable ? 1 : 0});
            } else if ((m = WRITES.matcher(ins)).find()) {
                env.remove(m.group(1));
                envTable.remove(m.group(1));
                loaded.remove(m.group(1));
            }
        }
        return out;
    }

    private static void set(Set<String> s, String register, boolean member) {
        if (member) {
            s.add(register);
        } else {
            s.remove(register);
        }
    }

    /** A call clobbers the caller-saved registers; a jump or return ends the block. */
    private static void afterCall(String kind, Set<String> env, Set<String> envTable, Set<String> savedEnv, Map<String, long[]> loaded) {
        if (kind.startsWith("call")) {
            env.removeAll(CALLER_SAVED);
            envTable.removeAll(CALLER_SAVED);
            CALLER_SAVED.forEach(loaded::remove);
        } else {
            env.clear();
            env.addAll(savedEnv);
            envTable.clear();
            loaded.clear();
        }
    }

    /** NvOnnxParser.h (TensorRT 11.2): the virtual functions in declaration order, {@code null} for {@code ~IParser}. */
    private static final String[] HEADER_ORDER = {"parse", "parseFromFile", "supportsOperator", "getNbErrors", "getError",
        "clearErrors", null, "getUsedVCPluginLibraries", "setFlags", "getFlags", "clearFlag", "setFlag", "getFlag"};

    @Test
    void eachWrapperCallsExactlyTheSlotTheHeaderOrderGives() {
        int slot = 0;
        for (String method : HEADER_ORDER) {
            if (method == null) {
                slot += 2; // the complete-object and the deleting destructor
                continue;
            }
            assertThat(displacements.get(method)).as("IParser::" + method + " is virtual function " + slot)
                    .containsExactly(8L * slot);
            slot++;
        }
    }

    @Test
    void theOnlySlotsNoWrapperCallsAreTheDestructorPair() {
        Set<Long> used = new TreeSet<>();
        displacements.values().forEach(used::addAll);
        assertThat(displacements).hasSizeGreaterThan(15);
        long highest = used.stream().max(Long::compare).orElseThrow() / 8;
        Set<Long> unused = new TreeSet<>();
        for (long s = 0; s <= highest; s++) {
            if (!used.contains(8 * s)) {
                unused.add(s);
            }
        }
        assertThat(unused).as("slots below the highest used that no wrapper calls").containsExactly(6L, 7L);
        assertThat(TrtOwnership.PARSER_DELETING_DESTRUCTOR_SLOT).as("the deleting destructor is the second of the pair")
                .isEqualTo(7);
    }

    @Test
    void theLayoutVersionIsTheOneTheWrappersWereCompiledAgainst() {
        assertThat(EngineBuilder.BINDINGS_PARSER_VERSION).isEqualTo(TrtOwnership.PARSER_LAYOUT_VERSION);
        assertThat(org.bytedeco.tensorrt.global.nvinfer.NV_TENSORRT_MAJOR).isEqualTo(TrtOwnership.PARSER_LAYOUT_TENSORRT_MAJOR);
    }
}

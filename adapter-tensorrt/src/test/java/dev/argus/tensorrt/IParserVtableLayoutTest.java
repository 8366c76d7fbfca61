package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
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
    private static final Pattern INDIRECT = Pattern.compile("\\b(?:call|jmp)\\s+\\*(0x[0-9a-f]+)?\\(%(\\w+)\\)");
    private static final Pattern LOAD = Pattern.compile("\\bmov\\s+(0x[0-9a-f]+)?\\(%\\w+\\),%(\\w+)$");
    private static final Pattern CALL_REGISTER = Pattern.compile("\\b(?:call|jmp)\\s+\\*%(\\w+)$");

    /** Vtable displacements (bytes) used by each IParser method's wrappers, by method name. */
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
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd)).isZero();
        displacements = parse(lines);
    }

    static Map<String, Set<Long>> parse(List<String> lines) {
        Map<String, Set<Long>> out = new HashMap<>();
        Set<Long> current = null;
        Map<String, Long> loaded = new HashMap<>();
        for (String line : lines) {
            Matcher f = FUNCTION.matcher(line);
            if (f.matches()) {
                String name = f.group(1).replace("@@Base", "");
                current = null;
                loaded.clear();
                if (name.startsWith(PREFIX)) {
                    String method = name.substring(PREFIX.length());
                    int overload = method.indexOf("__");
                    current = out.computeIfAbsent(overload < 0 ? method : method.substring(0, overload), k -> new TreeSet<>());
                }
                continue;
            }
            if (current == null) {
                continue;
            }
            Matcher m = INDIRECT.matcher(line);
            if (m.find()) {
                current.add(m.group(1) == null ? 0L : Long.decode(m.group(1)));
                continue;
            }
            m = LOAD.matcher(line.trim());
            if (m.find()) {
                loaded.put(m.group(2), m.group(1) == null ? 0L : Long.decode(m.group(1)));
                continue;
            }
            m = CALL_REGISTER.matcher(line.trim());
            if (m.find() && loaded.containsKey(m.group(1))) {
                current.add(loaded.get(m.group(1)));
            }
        }
        return out;
    }

    @Test
    void theMethodsDeclaredAroundTheDestructorUseTheSlotsTheHeaderOrderGives() {
        // NvOnnxParser.h (11.2) declares, in order: parse, parseFromFile, supportsOperator, getNbErrors, getError,
        // clearErrors, ~IParser, getUsedVCPluginLibraries, setFlags, getFlags, clearFlag, setFlag, getFlag.
        String[] before = {"parse", "parseFromFile", "supportsOperator", "getNbErrors", "getError", "clearErrors"};
        for (int slot = 1; slot < before.length; slot++) {
            assertThat(displacements.get(before[slot])).as("IParser::" + before[slot] + " is virtual function " + slot)
                    .contains(8L * slot);
        }
        String[] after = {"getUsedVCPluginLibraries", "setFlags", "getFlags", "clearFlag", "setFlag", "getFlag"};
        for (int i = 0; i < after.length; i++) {
            assertThat(displacements.get(after[i])).as("IParser::" + after[i] + " is virtual function " + (8 + i))
                    .contains(8L * (8 + i));
        }
    }

    @Test
    void noWrapperCallsTheDestructorSlots() {
        assertThat(displacements).hasSizeGreaterThan(15);
        for (Map.Entry<String, Set<Long>> e : displacements.entrySet()) {
            assertThat(e.getValue()).as("IParser::" + e.getKey()).doesNotContain(8L * 6, 8L * 7);
        }
    }

    @Test
    void ownershipDeletesThroughTheSlotAfterTheCompleteObjectDestructor() {
        int lastBefore = Math.toIntExact(displacements.get("clearErrors").stream().filter(d -> d > 0 && d < 0x40).max(Long::compare).orElseThrow() / 8);
        int firstAfter = Math.toIntExact(displacements.get("getUsedVCPluginLibraries").stream().filter(d -> d > 0x28 && d < 0x80).min(Long::compare).orElseThrow() / 8);
        assertThat(firstAfter - lastBefore).as("two slots, the destructor pair, between clearErrors and getUsedVCPluginLibraries").isEqualTo(3);
        assertThat(TrtOwnership.PARSER_DELETING_DESTRUCTOR_SLOT).as("the deleting destructor is the second of the pair")
                .isEqualTo(lastBefore + 2);
    }

    @Test
    void theLayoutVersionIsTheOneTheWrappersWereCompiledAgainst() {
        assertThat(EngineBuilder.BINDINGS_PARSER_VERSION).isEqualTo(TrtOwnership.PARSER_LAYOUT_VERSION);
    }
}

package dev.argus.app.tune;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a measured engine setting depends on besides the model and the engine: the processor and how many of its CPUs
 * Argus may use. The same model runs best at different settings on AMD Zen 3, 4 and 5, so a setting measured on one
 * is not used on another.
 *
 * @param model  the processor's name ({@code model name} in /proc/cpuinfo, with its family and model numbers)
 * @param cpus   CPUs the engine is sized for
 */
public record CpuIdentity(String model, int cpus) {

    /** This machine's processor, read from {@code /proc/cpuinfo} (the JVM's {@code os.arch} where there is none). */
    public static CpuIdentity here(int cpus) {
        return new CpuIdentity(describe(Path.of("/proc/cpuinfo")), cpus);
    }

    static String describe(Path cpuinfo) {
        List<String> lines;
        try {
            lines = Files.readAllLines(cpuinfo, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
        String name = field(lines, "model name");
        String family = field(lines, "cpu family");
        String model = field(lines, "model");
        if (name.isEmpty()) {
            return System.getProperty("os.arch");
        }
        return name + (family.isEmpty() ? "" : " (family " + family + " model " + model + ")");
    }

    /** The first processor's value of a {@code key : value} line. */
    private static String field(List<String> lines, String key) {
        for (String l : lines) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().equals(key)) {
                return l.substring(colon + 1).trim().replaceAll("\\s+", " ");
            }
        }
        return "";
    }

    @Override
    public String toString() {
        return model + ", " + cpus + " CPU(s)";
    }
}

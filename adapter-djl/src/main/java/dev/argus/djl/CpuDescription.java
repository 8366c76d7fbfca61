package dev.argus.djl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CPU as Linux describes it in {@code /proc/cpuinfo} (the first processor's block): what engine workarounds are
 * decided on. A value, so that tests can describe any CPU instead of only the one they run on.
 *
 * @param vendor    {@code vendor_id}, e.g. {@code AuthenticAMD}, {@code GenuineIntel}; empty when unknown
 * @param family    {@code cpu family} (AMD Zen 3 and Zen 4: 25, Zen 5: 26); -1 when unknown
 * @param modelName {@code model name}
 * @param flags     {@code flags}, lower case (e.g. {@code avx2}, {@code avx512f})
 */
record CpuDescription(String vendor, int family, String modelName, Set<String> flags) {
    static final Path PROC_CPUINFO = Path.of("/proc/cpuinfo");
    static final CpuDescription UNKNOWN = new CpuDescription("", -1, "unknown CPU", Set.of());

    CpuDescription {
        vendor = vendor == null ? "" : vendor;
        modelName = modelName == null || modelName.isBlank() ? "unknown CPU" : modelName;
        flags = Set.copyOf(flags);
    }

    /** This machine's CPU, or {@link #UNKNOWN} where {@code /proc/cpuinfo} cannot be read (not Linux). */
    static CpuDescription current() {
        try {
            return parse(Files.readString(PROC_CPUINFO));
        } catch (IOException | SecurityException e) {
            return UNKNOWN;
        }
    }

    /** Parses {@code /proc/cpuinfo}'s text; only the first processor's block is read (x86 CPUs are alike across it). */
    static CpuDescription parse(String cpuinfo) {
        String vendor = "";
        int family = -1;
        String modelName = "";
        Set<String> flags = Set.of();
        for (String line : cpuinfo.split("\n")) {
            if (line.isBlank()) {
                if (!vendor.isEmpty() || family >= 0) {
                    break; // end of the first processor's block
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "vendor_id" -> vendor = value;
                case "cpu family" -> family = parseFamily(value).orElse(-1);
                case "model name" -> modelName = value;
                case "flags" -> flags = Arrays.stream(value.split("\\s+")).filter(s -> !s.isEmpty())
                        .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
                default -> { }
            }
        }
        return new CpuDescription(vendor, family, modelName, flags);
    }

    private static Optional<Integer> parseFamily(String value) {
        try {
            return Optional.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean amd() {
        return vendor.equals("AuthenticAMD");
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    /** For messages: {@code AMD EPYC 9B45 (AuthenticAMD, cpu family 26, AVX-512)}. */
    String summary() {
        return modelName + " (" + (vendor.isEmpty() ? "vendor unknown" : vendor) + ", cpu family "
                + (family < 0 ? "unknown" : Integer.toString(family)) + (has("avx512f") ? ", AVX-512" : "") + ")";
    }
}

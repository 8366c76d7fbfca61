package dev.argus.app.quantize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What {@code /proc/cpuinfo} says about int8 arithmetic. With AVX-512 VNNI ({@code avx512_vnni}) or AVX-VNNI
 * ({@code avx_vnni}) ONNX Runtime's u8 x s8 kernels add products in 32 bits; without (AVX2 only, e.g. Zen 3) they use
 * {@code vpmaddubsw}, which adds pairs of u8 x s8 products into a saturating 16-bit value, so 8-bit weights can
 * overflow (255 x 127 x 2 = 64770 > 32767) and answers change. 7-bit weights cannot (255 x 63 x 2 = 32130).
 */
public record CpuFeatures(String model, boolean vnni) {
    /** This machine's, or empty where {@code /proc/cpuinfo} cannot be read (not Linux). */
    public static Optional<CpuFeatures> detect() {
        return detect(Path.of("/proc/cpuinfo"));
    }

    static Optional<CpuFeatures> detect(Path cpuinfo) {
        try {
            return Optional.of(parse(Files.readAllLines(cpuinfo)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static CpuFeatures parse(List<String> lines) {
        String model = "unknown CPU";
        boolean vnni = false;
        boolean flagsSeen = false;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.equals("model name") && model.equals("unknown CPU")) {
                model = value;
            } else if (key.equals("flags") && !flagsSeen) {
                flagsSeen = true;
                vnni = Arrays.stream(value.split("\\s+")).anyMatch(f -> f.equals("avx512_vnni") || f.equals("avx_vnni"));
            }
        }
        return new CpuFeatures(model, vnni);
    }
}

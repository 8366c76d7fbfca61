package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.argus.domain.ArgusException;
import dev.argus.domain.PreprocessSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Accept exactly what PIL accepts: thousands of seeded corruptions of images of every format
 * ({@code tools/testdata/make_mutants.py}), each opened by PIL as Hugging Face's pipeline does and by Argus. Both must
 * refuse, or both accept with the same 224x224 crop, except in the classes of disagreement {@link #CLASSES} names
 * and the README documents (Reliability). Prints the agreement rate, per mutation and overall.
 */
class PilDifferentialTest {
    private final ImageIoImagePreprocessor preprocessor = new ImageIoImagePreprocessor();

    record Mutant(String file, String mutation, String source, String verdict, String detail) {
    }

    static Path directory() {
        String configured = System.getProperty("argus.test.mutants");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of("").toAbsolutePath().resolve("../build/test-data/mutants").normalize();
    }

    static List<Mutant> mutants() throws IOException {
        Path index = directory().resolve("pil.tsv");
        List<Mutant> out = new ArrayList<>();
        for (String line : Files.readAllLines(index)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", 5);
            out.add(new Mutant(f[0], f[1], f[2], f[3], f.length > 4 ? f[4] : ""));
        }
        return out;
    }

    /** What Argus made of a file: the crop's SHA-256, or the refusal. */
    record Outcome(boolean accepted, String detail) {
    }

    Outcome argus(byte[] file) throws Exception {
        PreprocessSpec spec = PreprocessSpec.resnet50();
        float[] tensor;
        try {
            tensor = preprocessor.preprocess(file, spec);
        } catch (ArgusException e) {
            return new Outcome(false, e.code() + ": " + e.getMessage());
        }
        return new Outcome(true, cropHash(tensor, spec));
    }

    /** The 8-bit crop the tensor was made from (normalisation undone and rounded), row-major RGB, hashed as PIL's is. */
    static String cropHash(float[] tensor, PreprocessSpec spec) throws Exception {
        int w = spec.inputWidth(), h = spec.inputHeight(), plane = w * h;
        byte[] rgb = new byte[plane * 3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float v = tensor[c * plane + i] * spec.std()[c] + spec.mean()[c];
                rgb[i * 3 + c] = (byte) Math.round(v / spec.scale());
            }
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rgb));
    }

    /** A documented class of disagreement: where PIL and Argus part, and why (README, Reliability). */
    record Known(String name, java.util.function.BiPredicate<Mutant, Outcome> matches) {
    }

    static final List<Known> CLASSES = List.of(
            // TwelveMonkeys' VP8 decoder upsamples chroma by repetition, libwebp interpolates (PilFidelityTest too)
            new Known("lossy WebP decodes a few levels apart",
                    (m, a) -> a.accepted() && m.verdict().equals("accept") && m.source().contains("lossy") && m.file().endsWith(".webp")),
            // PIL stops inflating once it has every row: it never reads zlib's Adler-32 or the rest of an IDAT that
            // claims more bytes than the file has. The JDK's inflater checks the whole stream. PIL is the odd one out.
            new Known("PNG zlib stream damaged or cut after the last row",
                    (m, a) -> !a.accepted() && m.verdict().equals("accept") && m.file().endsWith(".png")
                            && (a.detail().contains("incorrect data check") || a.detail().contains("EOFException"))),
            // colour type 3 without PLTE: the PNG specification makes it an error; PIL substitutes a grey palette
            new Known("palette PNG without its PLTE chunk",
                    (m, a) -> !a.accepted() && m.verdict().equals("accept") && m.mutation().equals("png_drop_chunk")
                            && m.source().startsWith("palette") && a.detail().contains("Invalid chunk length")),
            // bfOffBits of 0: PIL reads the pixels after the palette, the JDK refuses the offset
            new Known("BMP pixel offset inside the header",
                    (m, a) -> !a.accepted() && m.verdict().equals("accept") && a.detail().contains("Invalid bitmap offset")),
            // libwebp checks its lossless bitstream more strictly than TwelveMonkeys' decoder
            new Known("damaged WebP bitstream that libwebp refuses",
                    (m, a) -> a.accepted() && m.detail().contains("failed to read next frame") && m.file().endsWith(".webp")),
            // libjpeg-turbo (PIL) stops at some damaged entropy-coded data that libjpeg 6b (JDK) decodes with a warning
            new Known("damaged JPEG scan that libjpeg-turbo refuses",
                    (m, a) -> a.accepted() && m.detail().contains("broken data stream") && m.file().endsWith(".jpg")),
            // both decoders accept damaged LZW codes that PIL's rules allow, and expand them differently
            new Known("damaged GIF LZW data both accept",
                    (m, a) -> a.accepted() && m.verdict().equals("accept") && m.file().endsWith(".gif")));

    /** The agreement the differential must keep: measured 98.5% on Debian 12's PIL 9.4. */
    static final double MIN_AGREEMENT = 0.98;

    @Test
    void acceptsAndRefusesWhatPilDoesWithTheSamePixels() throws Exception {
        Path dir = directory();
        assumeTrue(Files.exists(dir.resolve("pil.tsv")), "no mutants in " + dir + ": run .ci/setup-test-data");
        Map<String, int[]> byMutation = new TreeMap<>(); // agree, total
        Map<String, List<String>> disagreements = new TreeMap<>();
        int agree = 0, total = 0;
        for (Mutant m : mutants()) {
            byte[] file = Files.readAllBytes(dir.resolve("files").resolve(m.file()));
            Outcome a = argus(file);
            boolean pilAccepts = m.verdict().equals("accept");
            boolean same = a.accepted() == pilAccepts && (!pilAccepts || a.detail().equals(m.detail()));
            total++;
            int[] tally = byMutation.computeIfAbsent(m.mutation(), k -> new int[2]);
            tally[1]++;
            if (same) {
                agree++;
                tally[0]++;
                continue;
            }
            String kind = CLASSES.stream().filter(k -> k.matches().test(m, a)).map(Known::name).findFirst()
                    .orElse("UNDOCUMENTED " + (a.accepted() && pilAccepts ? "both accept, different pixels"
                            : a.accepted() ? "Argus accepts, PIL refuses" : "Argus refuses, PIL accepts"));
            disagreements.computeIfAbsent(kind, k -> new ArrayList<>()).add(m.file() + " | PIL: " + m.verdict() + " "
                    + m.detail() + " | Argus: " + a.detail());
        }
        System.out.printf("PIL differential: %d of %d mutants agree (%.2f%%)%n", agree, total, 100.0 * agree / total);
        byMutation.forEach((k, v) -> System.out.printf("  %-22s %5d / %5d%n", k, v[0], v[1]));
        disagreements.forEach((k, list) -> {
            // a few examples of each documented class, every undocumented one
            System.out.printf("  %s: %d%n", k, list.size());
            list.stream().limit(k.startsWith("UNDOCUMENTED") ? 400 : 3).forEach(s -> System.out.println("    " + s));
        });
        assertThat(total).isGreaterThan(1000);
        assertThat(disagreements.keySet()).as("every disagreement is in a documented class").noneMatch(k -> k.startsWith("UNDOCUMENTED"));
        assertThat((double) agree / total).as("agreement with PIL").isGreaterThanOrEqualTo(MIN_AGREEMENT);
    }
}

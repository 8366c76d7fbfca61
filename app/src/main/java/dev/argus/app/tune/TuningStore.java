package dev.argus.app.tune;

import dev.argus.domain.ArgusException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The engine settings {@code argus tune} measured, one properties file per model, backend, device and CPU under
 * {@code <data dir>/tuning}. A file is used only when everything it records matches: the model's SHA-256, the
 * backend, the device, the processor and the CPU count.
 */
public final class TuningStore {
    private static final String FORMAT = "1";
    private final Path dir;

    public TuningStore(Path dataDir) {
        this.dir = dataDir.resolve("tuning");
    }

    public Path dir() {
        return dir;
    }

    /** What a setting is measured for. */
    public record Subject(String backend, String device, String modelSha256, CpuIdentity cpu) {
    }

    /** The setting chosen for a subject, with what was measured for it. */
    public record Tuned(int workers, int threads, int maxBatch, double imagesPerSecond, double p50Millis, double p99Millis,
                        double p99BoundMillis, String measuredAt, Path file) {
        public String describe() {
            return String.format(Locale.ROOT, "%d worker(s) x %d thread(s), max-batch %d: %.1f img/s, p99 %.0f ms (bound %.0f ms), measured %s by argus tune (%s)",
                    workers, threads, maxBatch, imagesPerSecond, p99Millis, p99BoundMillis, measuredAt, file);
        }
    }

    /** Whether any setting has been stored (hashing the model is not worth it otherwise). */
    public boolean isEmpty() {
        try (var files = Files.list(dir)) {
            return files.noneMatch(f -> f.getFileName().toString().endsWith(".properties"));
        } catch (IOException e) {
            return true;
        }
    }

    public Path fileFor(Subject s) {
        String id = sha256(String.join("\n", s.backend(), s.device(), s.modelSha256(), s.cpu().model(),
                Integer.toString(s.cpu().cpus()))).substring(0, 16);
        return dir.resolve(s.backend() + "-" + s.modelSha256().substring(0, 12) + "-" + id + ".properties");
    }

    /** The stored setting for a subject, if one was measured for exactly it. */
    public Optional<Tuned> find(Subject s) {
        Path f = fileFor(s);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw ArgusException.configuration("Cannot read the tuned setting " + f + " (" + e.getMessage()
                    + "). Run argus tune again, or delete the file.");
        }
        if (!FORMAT.equals(p.getProperty("format")) || !s.backend().equals(p.getProperty("backend"))
                || !s.device().equals(p.getProperty("device")) || !s.modelSha256().equals(p.getProperty("model.sha256"))
                || !s.cpu().model().equals(p.getProperty("cpu.model")) || !String.valueOf(s.cpu().cpus()).equals(p.getProperty("cpu.count"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Tuned(positive(p, "workers"), positive(p, "threads"), positive(p, "max-batch"),
                    Double.parseDouble(p.getProperty("images-per-second", "0")), Double.parseDouble(p.getProperty("p50-ms", "0")),
                    Double.parseDouble(p.getProperty("p99-ms", "0")), Double.parseDouble(p.getProperty("p99-bound-ms", "0")),
                    p.getProperty("measured-at", "?"), f));
        } catch (NumberFormatException e) {
            throw ArgusException.configuration("The tuned setting " + f + " is damaged (" + e.getMessage()
                    + "). Run argus tune again, or delete the file.");
        }
    }

    private static int positive(Properties p, String key) {
        int v = Integer.parseInt(p.getProperty(key, "0").trim());
        if (v < 1 || v > 1024) {
            throw new NumberFormatException(key + " = " + v + " is not in 1..1024");
        }
        return v;
    }

    /** Stores the chosen setting with every measured row (as comments for people); replaces the file atomically. */
    public Path write(Subject s, Tuned chosen, String modelLocation, List<String> table) {
        Path f = fileFor(s);
        StringBuilder sb = new StringBuilder();
        sb.append("# argus tune: the engine setting measured for this model, backend, device and CPU.\n");
        sb.append("# Delete this file to go back to the sizing rule; argus.inference.workers/max-batch/threads set in the\n");
        sb.append("# configuration win over it.\n");
        for (String row : table) {
            sb.append("# ").append(row.replaceAll("[\\r\\n]+", " ")).append('\n');
        }
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("backend", s.backend());
        p.setProperty("device", s.device());
        p.setProperty("model.sha256", s.modelSha256());
        p.setProperty("model.location", modelLocation);
        p.setProperty("cpu.model", s.cpu().model());
        p.setProperty("cpu.count", String.valueOf(s.cpu().cpus()));
        p.setProperty("workers", String.valueOf(chosen.workers()));
        p.setProperty("threads", String.valueOf(chosen.threads()));
        p.setProperty("max-batch", String.valueOf(chosen.maxBatch()));
        p.setProperty("images-per-second", String.format(Locale.ROOT, "%.2f", chosen.imagesPerSecond()));
        p.setProperty("p50-ms", String.format(Locale.ROOT, "%.1f", chosen.p50Millis()));
        p.setProperty("p99-ms", String.format(Locale.ROOT, "%.1f", chosen.p99Millis()));
        p.setProperty("p99-bound-ms", String.format(Locale.ROOT, "%.0f", chosen.p99BoundMillis()));
        p.setProperty("measured-at", chosen.measuredAt());
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tune-", ".tmp");
            java.io.StringWriter entries = new java.io.StringWriter();
            p.store(entries, null); // the JDK's escaping, one entry a line
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(sb.toString());
                // sorted, without the date line Properties.store adds
                for (String line : entries.toString().lines().filter(l -> !l.startsWith("#")).sorted().toList()) {
                    w.write(line + "\n");
                }
            }
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw ArgusException.configuration("Cannot write the tuned setting to " + f + ": " + e.getMessage());
        }
        return f;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

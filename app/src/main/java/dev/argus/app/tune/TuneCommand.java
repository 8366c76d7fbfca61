package dev.argus.app.tune;

import dev.argus.app.cli.ConfigOptions;
import dev.argus.app.cli.ExitCodes;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Backend;
import dev.argus.app.config.Key;
import dev.argus.app.config.Settings;
import dev.argus.app.wiring.Argus;
import dev.argus.bench.run.Corpus;
import dev.argus.domain.ArgusException;
import dev.argus.domain.PreprocessSpec;
import dev.argus.ports.out.ImagePreprocessor;
import dev.argus.ports.out.ModelSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code argus tune}: measures, on this machine, with this model and engine, which setting (workers x threads x
 * max-batch) serves the most images per second with a p99 within a stated bound, and stores it where
 * {@code argus serve}, {@code classify} and {@code bench} find it.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Measure the engine settings (workers x threads x max-batch) on this machine, model and backend, "
                + "and store the fastest one whose p99 stays within --p99-ms.",
                "serve, classify and bench use it unless the configuration sets argus.inference.workers, max-batch "
                        + "or the engine's intra-op threads; argus config shows which applies."})
public final class TuneCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--p99-ms", paramLabel = "MS", description = "Latency bound: the chosen setting's p99 at full load must be at most this (default 500).")
    double p99BoundMillis = 500;

    @Option(names = "--seconds", paramLabel = "S", description = "Measured time per setting (default 4).")
    double seconds = 4;

    @Option(names = "--warmup-seconds", paramLabel = "S", description = "Unmeasured load before each setting (default 1.5).")
    double warmupSeconds = 1.5;

    @Option(names = "--workers", paramLabel = "LIST", split = "\\s*,\\s*",
            description = "Worker counts to try, threads = CPUs / workers (default: every divisor of the CPU count; tensorrt: 1,2,4).")
    List<Integer> workers;

    @Option(names = "--batch-sizes", paramLabel = "LIST", split = "\\s*,\\s*", description = "Max-batch values to try (default 1,2,4,8).")
    List<Integer> batchSizes = List.of(1, 2, 4, 8);

    @Option(names = "--images", paramLabel = "DIR", description = "Images to measure with: your own photos (default: 7 generated photo-like images, 375x500 to 1600x1200).")
    Path images;

    @Option(names = "--no-save", description = "Measure and report only; do not store the chosen setting.")
    boolean noSave;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    public TuneCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    @Override
    public Integer call() {
        checkFlags();
        ArgusConfig given = ArgusConfig.from(configOptions.settings(env), env);
        if (given.backend().remote()) {
            throw ArgusException.configuration("argus tune measures engines that run here; backend " + given.backend()
                    + " answers from elsewhere. Tune the server it calls.");
        }
        List<Integer> w = workers != null ? workers
                : given.backend() == Backend.TENSORRT ? List.of(1, 2, 4) : Tuner.divisors(given.inference().cpus());
        dev.argus.app.wiring.ModelFiles.Local local = dev.argus.app.wiring.ModelFiles.localize(given, ModelSource.ProgressListener.NONE);
        ArgusConfig base = local.config(); // a repository location: described from its downloaded folder
        Path model = local.model();
        TuningStore.Subject subject = Tuning.subject(base, model);
        Corpus corpus = images != null ? Corpus.load(images, 200) : Corpus.generated(7);
        List<Tuner.Candidate> candidates = Tuner.candidates(base.inference().cpus(), w, batchSizes);
        err.println("argus tune: " + base.backend() + " on " + subject.device() + ", model " + model + " (sha256 "
                + subject.modelSha256().substring(0, 12) + "...), " + subject.cpu() + "; " + candidates.size()
                + " setting(s), " + fmt(warmupSeconds + seconds) + " s of load each (longer where a setting needs it "
                + "for " + Tuner.MIN_REQUESTS + " requests); images: " + corpus.source());

        // Every image must decode (one that does not would fail every setting), and decoding costs what it costs:
        // both found once, on a pipeline of the first setting.
        List<byte[]> bytes = new ArrayList<>();
        double decodeMillis;
        try (Argus probe = Argus.start(candidateConfig(base.backend(), candidates.get(0)), ModelSource.ProgressListener.NONE)) {
            ImagePreprocessor p = probe.preprocessor().orElseThrow();
            PreprocessSpec spec = base.model().preprocess();
            List<String> bad = new ArrayList<>();
            for (Corpus.Image img : corpus.images()) {
                try {
                    p.preprocess(img.bytes(), spec);
                    bytes.add(img.bytes());
                } catch (ArgusException e) {
                    bad.add(img.name() + " (" + e.getMessage() + ")");
                }
            }
            if (bytes.isEmpty()) {
                throw ArgusException.invalidInput("None of the images of " + corpus.source() + " can be classified: "
                        + String.join("; ", bad));
            }
            if (!bad.isEmpty()) {
                err.println("argus tune: leaving out " + bad.size() + " image(s) that cannot be classified: " + String.join("; ", bad));
            }
            decodeMillis = decodeCost(p, spec, bytes);
        }

        Tuner tuner = new Tuner(warmupSeconds, seconds);
        List<Tuner.Measured> measured = tuner.measureAll(candidates, c -> {
            Argus argus = Argus.start(candidateConfig(base.backend(), c), ModelSource.ProgressListener.NONE);
            return Tuner.Target.of(argus.classifier(), argus::close);
        }, bytes, line -> err.println("argus tune: " + line));

        Optional<Tuner.Choice> choice = Tuner.choose(measured, p99BoundMillis);
        List<String> table = new ArrayList<>();
        table.add("argus tune on " + subject.cpu() + ", " + base.backend() + " on " + subject.device() + ", images: " + corpus.source());
        table.add(String.format(Locale.ROOT, "decode + preprocess: %.1f ms per image on one core (at most %.0f img/s on %d CPU(s) for decoding alone)",
                decodeMillis, base.inference().cpus() * 1000 / decodeMillis, base.inference().cpus()));
        measured.forEach(m -> table.add(m.row()));
        table.forEach(out::println);
        if (choice.isEmpty()) {
            err.println("argus: no setting could run; see the reasons above.");
            return ExitCodes.BACKEND_FAILURE;
        }
        Tuner.Measured c = choice.get().chosen();
        String verdict = choice.get().withinBound() ? "chosen (fastest with p99 <= " + fmt(p99BoundMillis) + " ms): "
                : "no setting kept p99 within " + fmt(p99BoundMillis) + " ms; chosen (lowest p99): ";
        out.println(verdict + c.row());
        table.add(verdict + c.row());
        if (!noSave) {
            TuningStore.Tuned tuned = new TuningStore.Tuned(c.candidate().workers(), c.candidate().threads(),
                    c.candidate().maxBatch(), c.imagesPerSecond(), c.p50Millis(), c.p99Millis(), p99BoundMillis,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), null);
            Path file = new TuningStore(base.dataDir()).write(subject, tuned, base.modelLocation(), table);
            err.println("argus tune: stored in " + file + "; serve, classify and bench use it (argus config shows it).");
            if (!base.inference().sizing().userSet().isEmpty()) {
                err.println("argus tune: note: your configuration sets " + String.join(", ", base.inference().sizing().userSet())
                        + ", which win over the tuned setting.");
            }
        }
        return ExitCodes.OK;
    }

    /** The user's configuration with one candidate's sizing on top. */
    private ArgusConfig candidateConfig(Backend backend, Tuner.Candidate c) {
        Settings s = configOptions.settings(env);
        String source = "argus tune";
        s.set(Key.WORKERS, String.valueOf(c.workers()), source);
        s.set(Key.MAX_BATCH, String.valueOf(c.maxBatch()), source);
        s.set(backend.djl() ? Key.DJL_INTRA_OP_THREADS : Key.ONNX_INTRA_OP_THREADS, String.valueOf(c.threads()), source);
        s.set(Key.TUNING, "false", source);
        return ArgusConfig.from(s, env);
    }

    /** Decode and preprocessing on one thread: milliseconds per image, averaged over at least a second. */
    static double decodeCost(ImagePreprocessor p, PreprocessSpec spec, List<byte[]> images) {
        float[] dst = new float[spec.valuesPerImage()];
        for (byte[] img : images) {
            p.preprocess(img, spec, dst, 0);
        }
        long t0 = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - t0 < 1_000_000_000L || n < images.size()) {
            p.preprocess(images.get(n % images.size()), spec, dst, 0);
            n++;
        }
        return (System.nanoTime() - t0) / 1e6 / n;
    }

    /**
     * Every flag, checked before configuration is read or the model found or downloaded: a wrong one is a usage error
     * (exit 2) saying which flag and what it takes.
     */
    private void checkFlags() {
        if (!(p99BoundMillis > 0) || Double.isInfinite(p99BoundMillis)) {
            throw usage("--p99-ms must be a number > 0, got " + p99BoundMillis);
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw usage("--seconds must be a number > 0, got " + seconds);
        }
        if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds)) {
            throw usage("--warmup-seconds must be a number >= 0, got " + warmupSeconds);
        }
        for (int x : workers == null ? List.<Integer>of() : workers) {
            check(x, "--workers");
        }
        for (int b : batchSizes) {
            check(b, "--batch-sizes");
        }
        if (images != null && !java.nio.file.Files.isDirectory(images)) {
            throw usage("--images must be a directory of images; " + images + " is not one");
        }
    }

    private void check(int v, String option) {
        if (v < 1 || v > 1024) {
            throw usage(option + " values must be in 1..1024, got " + v);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}

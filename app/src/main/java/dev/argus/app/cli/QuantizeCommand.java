package dev.argus.app.cli;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.quantize.Agreement;
import dev.argus.app.quantize.CpuFeatures;
import dev.argus.app.quantize.ModelQuantizer;
import dev.argus.app.wiring.ServingPreprocessor;
import dev.argus.domain.ArgusException;
import dev.argus.onnxmodel.quant.CalibrationMethod;
import dev.argus.onnxmodel.quant.QuantizationOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code argus quantize}: an fp32 ONNX classifier made int8 (QDQ) from a folder of the user's images, preprocessed as
 * serving does, and written only if it agrees with the float model on held-out images.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Quantize an fp32 ONNX classifier to int8 (QDQ, for ONNX Runtime's CPU provider), calibrated on your images.",
                "The int8 model is compared with the float one on held-out images and written only if it agrees well enough."})
final class QuantizeCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--calibration", required = true, paramLabel = "DIR", description = "Images to calibrate on (searched recursively).")
    Path calibration;

    @Option(names = "--held-out", required = true, paramLabel = "DIR", description = "Other images, to measure agreement with the float model on.")
    Path heldOut;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the int8 model.")
    Path out;

    @Option(names = "--method", paramLabel = "M", defaultValue = "minmax",
            description = "Calibration: minmax, percentile or percentile:P (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--min-top1-agreement", paramLabel = "F", defaultValue = "0.99",
            description = "Refuse below this top-1 agreement with the float model (0..1, default: ${DEFAULT-VALUE}).")
    double minTop1;

    @Option(names = "--min-top5-overlap", paramLabel = "F", defaultValue = "0",
            description = "Refuse below this mean top-5 overlap (0..1, default: ${DEFAULT-VALUE}, no limit).")
    double minTop5;

    @Option(names = "--max-score-difference", paramLabel = "F", defaultValue = "1",
            description = "Refuse above this largest softmax score difference (0..1, default: ${DEFAULT-VALUE}, no limit).")
    double maxScoreDifference;

    @Option(names = "--keep-fp32", paramLabel = "LIST", defaultValue = "first,last", split = ",",
            description = "Layers left in float: first, last, node names (NAME* for a prefix), or none (default: ${DEFAULT-VALUE}).")
    List<String> keepFp32;

    @Option(names = "--cpu", paramLabel = "KIND", defaultValue = "auto",
            description = "The CPU the model is for: vnni (8-bit weights), no-vnni (7-bit weights, no u8 x s8 saturation "
                    + "on AVX2-only CPUs such as Zen 3), or auto: this machine's (default: ${DEFAULT-VALUE}).")
    String cpu;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "4", description = "Images per run (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "ONNX Runtime threads (default: one per core).")
    int threads;

    @Option(names = "--progress", negatable = true, description = "Show progress on stderr (default: when stderr is a terminal).")
    Boolean progress;

    private final PrintStream stdout;
    private final PrintStream err;
    private final Map<String, String> env;

    QuantizeCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.stdout = out;
        this.err = err;
        this.env = env;
    }

    @Override
    public Integer call() {
        CalibrationMethod calibrationMethod = parseMethod();
        Agreement.Thresholds thresholds = thresholds();
        if (batchSize < 1 || threads < 0) {
            throw usage("--batch-size must be at least 1 and --threads at least 0.");
        }
        ArgusConfig config = ArgusConfig.from(configOptions.settings(env), env);
        Path model = Path.of(config.modelLocation());
        if (!Files.isRegularFile(model)) {
            throw usage("--model must name a local .onnx file, got '" + config.modelLocation() + "'.");
        }
        if (sameFile(model, out)) {
            throw usage("--out must not be the input model " + model + ".");
        }
        List<Path> calibrationImages = images("--calibration", calibration);
        List<Path> heldOutImages = images("--held-out", heldOut);
        checkDisjoint(calibrationImages, heldOutImages);
        String target = target();
        QuantizationOptions options = new QuantizationOptions(target.startsWith("vnni") ? 8 : 7,
                keepFp32.contains("first"), keepFp32.contains("last"), keptNodes());

        boolean terminal = Terminal.isTerminal(err);
        boolean show = progress != null ? progress : terminal;
        Map<String, ProgressBar> bars = new HashMap<>();
        ModelQuantizer.Progress report = (phase, done, total) -> {
            if (show) {
                bars.computeIfAbsent(phase, p -> {
                    err.println("argus quantize: " + p + " on " + total + " images");
                    return new ProgressBar(err, "images", total, terminal);
                }).update(done);
            }
        };
        err.println("argus quantize: " + model + " -> " + out + " (" + target + ", calibration " + calibrationMethod
                + ", " + calibrationImages.size() + " calibration and " + heldOutImages.size() + " held-out images)");
        byte[] fp32 = read(model);
        ModelQuantizer quantizer = new ModelQuantizer(ServingPreprocessor.of(config), config.model().preprocess(),
                config.model().outputName(), report);
        ModelQuantizer.Outcome outcome = quantizer.quantize(fp32, calibrationImages, heldOutImages,
                new ModelQuantizer.Settings(options, calibrationMethod, thresholds, batchSize, threads, target));
        err.println("argus quantize: " + outcome.plan().quantizedNodeNames().size() + " nodes int8, kept in float: "
                + (outcome.plan().keptFloat().isEmpty() ? "none" : String.join(", ", outcome.plan().keptFloat())));
        err.println("argus quantize: on " + heldOutImages.size() + " held-out images: " + outcome.agreement());
        if (!outcome.failures().isEmpty()) {
            err.println("argus: refusing to write " + out + ": " + String.join("; ", outcome.failures()) + ". No file was "
                    + "written. Calibrate on images like the ones served, try another --method (minmax, percentile:99.999), "
                    + "keep more layers in float (--keep-fp32), or lower the thresholds if this loss is acceptable.");
            return ExitCodes.DISAGREEMENT;
        }
        outcome.agreement().tooFewImagesFor(thresholds).ifPresent(why -> err.println("argus quantize: warning: " + why + "."));
        write(outcome.model().toByteArray());
        stdout.println(out + ": int8, " + outcome.agreement());
        return ExitCodes.OK;
    }

    private CalibrationMethod parseMethod() {
        try {
            return CalibrationMethod.parse(method);
        } catch (IllegalArgumentException e) {
            throw usage("--method: " + e.getMessage() + ".");
        }
    }

    private Agreement.Thresholds thresholds() {
        try {
            return new Agreement.Thresholds(minTop1, minTop5, maxScoreDifference);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage() + ".");
        }
    }

    /** "vnni" or "no-vnni (...)", from --cpu and, for auto, this machine's flags. */
    private String target() {
        switch (cpu.strip().toLowerCase(Locale.ROOT)) {
            case "vnni":
                return "vnni: 8-bit weights";
            case "no-vnni":
                return "no-vnni: 7-bit weights";
            case "auto":
                Optional<CpuFeatures> f = CpuFeatures.detect();
                if (f.isPresent() && f.get().vnni()) {
                    return "vnni: 8-bit weights (" + f.get().model() + " has VNNI)";
                }
                String why = f.map(c -> c.model() + " has no AVX-512 VNNI or AVX-VNNI").orElse("the CPU's features are unknown");
                err.println("argus quantize: " + why + ": weights get 7 bits so that ONNX Runtime's AVX2 u8 x s8 kernels "
                        + "cannot saturate (use --cpu vnni to quantize for a VNNI machine).");
                return "no-vnni: 7-bit weights (" + why + ")";
            default:
                throw usage("--cpu must be auto, vnni or no-vnni, got '" + cpu + "'.");
        }
    }

    private Set<String> keptNodes() {
        Set<String> nodes = new HashSet<>();
        for (String k : keepFp32) {
            String v = k.strip();
            if (!v.isEmpty() && !v.equals("first") && !v.equals("last") && !v.equals("none")) {
                nodes.add(v);
            }
        }
        return nodes;
    }

    private List<Path> images(String flag, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw usage(flag + " must name a folder of images, got '" + dir + "'.");
        }
        List<Path> files = ClassifyInputs.expand(List.of(dir));
        if (files.isEmpty()) {
            throw usage(flag + " " + dir + " holds no images (.jpg .jpeg .png .gif .bmp .webp).");
        }
        return files;
    }

    /** Held-out images must be others than the calibration images: compared by content, not by name. */
    private void checkDisjoint(List<Path> calibrationImages, List<Path> heldOutImages) {
        Map<String, Path> seen = new HashMap<>();
        calibrationImages.forEach(p -> seen.put(sha256(p), p));
        for (Path p : heldOutImages) {
            Path twin = seen.get(sha256(p));
            if (twin != null) {
                throw usage("held-out image " + p + " is also a calibration image (" + twin + "): agreement must be "
                        + "measured on images calibration did not see.");
            }
        }
    }

    private static String sha256(Path p) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (IOException e) {
            throw ArgusException.invalidInput("Cannot read " + p + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] read(Path model) {
        try {
            return Files.readAllBytes(model);
        } catch (IOException e) {
            throw ArgusException.modelUnavailable("Cannot read " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * Written beside the target and moved into place: never a half-written model under the final name. The temporary
     * file is created as any new file is (the umask decides its mode), not with {@code createTempFile}'s owner-only
     * mode, so a server running as another user can read the model.
     */
    private void write(byte[] bytes) {
        Path dir = out.toAbsolutePath().getParent();
        try {
            Path tmp = dir.resolve(".quantize-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".onnx.tmp");
            try {
                Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw ArgusException.configuration("Cannot write " + out + ": " + e.getMessage());
        }
    }

    private picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
    }
}

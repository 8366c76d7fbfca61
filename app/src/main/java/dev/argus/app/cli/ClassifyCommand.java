package dev.argus.app.cli;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.wiring.Argus;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.ImageInput;
import dev.argus.domain.LabelStyle;
import dev.argus.domain.Outcomes;
import dev.argus.ports.in.ClassifyImageUseCase;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code argus classify FILE|DIR...}: one file prints Cloudflare's JSON envelope; several files or directories print
 * one JSON line per file, batched, with a progress bar on stderr.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Classify image files. One file: Cloudflare's JSON envelope. Several files or directories: one JSON line per file.",
                "A .json file is read as Cloudflare's request body {\"image\": [byte values 0..255]}."})
final class ClassifyCommand implements Callable<Integer> {
    private static final List<String> IMAGE_EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp");

    @Mixin
    ConfigOptions configOptions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ClassifyOutputOptions output;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per call for directories (default: workers x max-batch, a batch for every engine worker).")
    Integer batchSize;

    @Option(names = "--progress", negatable = true, description = "Show progress on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Option(names = "--model-name", paramLabel = "NAME", description = "With a model repository (argus.repository): the "
            + "model to classify with, by name or alias (default: the one serving Cloudflare's id, else the first by name).")
    String modelName;

    @Option(names = "--model-version", paramLabel = "V", description = "With --model-name: the version (default: the newest served).")
    String modelVersion;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Image files, or directories (searched recursively for "
            + ".jpg .jpeg .png .gif .bmp .webp).")
    List<Path> inputs;

    private final PrintStream out;
    private final PrintStream err;
    private final java.util.Map<String, String> env;

    ClassifyCommand(PrintStream out, PrintStream err, java.util.Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** The configuration: of the repository's model chosen, or of argus.model. */
    private ArgusConfig config() {
        dev.argus.app.config.Settings settings = configOptions.settings(env);
        if (dev.argus.app.config.ModelRepository.configured(settings)) {
            return ArgusConfig.from(dev.argus.app.config.ModelRepository.select(settings,
                    settings.get(dev.argus.app.config.Key.REST_CLOUDFLARE_MODEL), modelName == null ? "" : modelName.strip(),
                    modelVersion == null ? "" : modelVersion.strip()).settings(), env);
        }
        if (modelName != null || modelVersion != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--model-name and --model-version choose a model of a repository: set argus.repository too.");
        }
        return ArgusConfig.from(settings, env);
    }

    @Override
    public Integer call() {
        ClassifyOptions options = new ClassifyOptions(output.topK(), LabelStyle.parse(output.labelStyle()));
        List<Path> files = expand();
        if (files.isEmpty()) {
            throw ArgusException.invalidInput("No image files found in " + inputs + ".");
        }
        ArgusConfig config = config();
        boolean single = files.size() == 1 && inputs.size() == 1 && !Files.isDirectory(inputs.get(0));
        boolean showProgress = progress != null ? progress : System.console() != null;
        try (Argus argus = Argus.start(config, Main.downloadProgress(err, showProgress))) {
            ClassifyImageUseCase useCase = argus.useCase();
            if (single) {
                return classifyOne(useCase, files.get(0), options, config.limits().maxBytes());
            }
            ArgusConfig.Inference sized = argus.config().inference(); // with a tuned setting where one applies
            int batch = batchSize != null ? batchSize : sized.workers() * sized.maxBatch();
            if (batch < 1) {
                throw ArgusException.invalidInput("--batch-size must be >= 1, got " + batch + ".");
            }
            return classifyMany(useCase, files, options, batch, showProgress, config.limits().maxBytes());
        }
    }

    private int classifyOne(ClassifyImageUseCase useCase, Path file, ClassifyOptions options, long maxBytes) {
        ClassificationOutcome outcome = classify(useCase, List.of(file), options, maxBytes).get(0);
        if (outcome instanceof ClassificationOutcome.Success s) {
            out.println(CloudflareJson.write(CloudflareJson.success(s.result())));
            return ExitCodes.OK;
        }
        ClassificationOutcome.Failure f = (ClassificationOutcome.Failure) outcome;
        out.println(CloudflareJson.write(CloudflareJson.failure(f.code(), f.message())));
        err.println("argus: " + file + ": " + f.message());
        return ExitCodes.of(f.code());
    }

    private int classifyMany(ClassifyImageUseCase useCase, List<Path> files, ClassifyOptions options, int batch,
                             boolean showProgress, long maxBytes) {
        ProgressBar bar = new ProgressBar(err, "images", files.size(), System.console() != null);
        int failed = 0;
        for (int start = 0; start < files.size(); start += batch) {
            List<Path> chunk = files.subList(start, Math.min(files.size(), start + batch));
            List<ClassificationOutcome> outcomes = classify(useCase, chunk, options, maxBytes);
            for (int i = 0; i < chunk.size(); i++) {
                var line = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("file", chunk.get(i).toString());
                if (outcomes.get(i) instanceof ClassificationOutcome.Success s) {
                    line.set("result", CloudflareJson.result(s.result().classifications()));
                } else {
                    ClassificationOutcome.Failure f = (ClassificationOutcome.Failure) outcomes.get(i);
                    line.putObject("error").put("code", CloudflareJson.cloudflareCode(f.code())).put("message", f.message());
                    failed++;
                }
                out.println(CloudflareJson.write(line));
            }
            out.flush();
            if (showProgress) {
                bar.update(start + chunk.size());
            }
        }
        if (failed > 0) {
            err.println("argus: " + failed + " of " + files.size() + " images could not be classified (see the \"error\" lines).");
            return ExitCodes.SOME_INPUTS_FAILED;
        }
        return ExitCodes.OK;
    }

    /**
     * Reads the files and classifies them as one batch. A file that cannot be read, or is over the byte limit (not
     * read at all then), fails alone with a clear message.
     */
    private static List<ClassificationOutcome> classify(ClassifyImageUseCase useCase, List<Path> files, ClassifyOptions options,
                                                        long maxBytes) {
        return Outcomes.classify(files, f -> read(f, maxBytes), images -> useCase.classifyBatch(images, options));
    }

    /** One file as an image input: refused unread when over the byte limit, a clear error when it cannot be read. */
    private static ImageInput read(Path f, long maxBytes) {
        try {
            long size = Files.size(f);
            if (size > maxBytes) {
                throw ArgusException.tooLarge("The file is " + size + " bytes; the limit is " + maxBytes
                        + " bytes (argus.limits.max-bytes).");
            }
            byte[] bytes = Files.readAllBytes(f);
            return f.getFileName().toString().endsWith(".json") ? CloudflareRequest.parse(bytes) : ImageInput.of(bytes);
        } catch (IOException e) {
            throw ArgusException.invalidInput("Cannot read " + f + ": " + e);
        }
    }

    private List<Path> expand() {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(ClassifyCommand::looksLikeImage).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw ArgusException.invalidInput("Cannot read directory " + p + ": " + e.getMessage());
                }
            } else if (Files.exists(p)) {
                files.add(p);
            } else {
                throw new ArgusException(ErrorCode.INVALID_INPUT, "No such file: " + p);
            }
        }
        return files;
    }

    private static boolean looksLikeImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return IMAGE_EXTENSIONS.stream().anyMatch(name::endsWith);
    }
}

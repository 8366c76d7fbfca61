package dev.argus.app.cli;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.wiring.Argus;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.LabelStyle;
import dev.argus.domain.Outcomes;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.rest.RestCloudflareWire;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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

    @Parameters(paramLabel = "FILE|DIR|-", arity = "1..*", description = "Image files, directories (searched recursively for "
            + ".jpg .jpeg .png .gif .bmp .webp), or - for one image (or JSON body) on standard input, named \"-\" in the output.")
    List<Path> inputs;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final java.util.Map<String, String> env;

    ClassifyCommand(InputStream in, PrintStream out, PrintStream err, java.util.Map<String, String> env) {
        this.in = in;
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
        ClassifyOptions options = checkFlags();
        List<Path> files = ClassifyInputs.expand(inputs);
        if (files.isEmpty()) {
            throw ArgusException.invalidInput("No image files found in " + inputs + ".");
        }
        ArgusConfig config = config();
        ClassifyInputs reader = new ClassifyInputs(in, config.limits().maxBytes());
        boolean single = files.size() == 1 && inputs.size() == 1
                && (ClassifyInputs.isStdin(inputs.get(0)) || !Files.isDirectory(inputs.get(0)));
        boolean terminal = Terminal.isTerminal(err);
        boolean showProgress = progress != null ? progress : terminal;
        try (Argus argus = Argus.start(config, Main.downloadProgress(err, showProgress))) {
            ClassifyImageUseCase useCase = argus.useCase();
            if (single) {
                return classifyOne(useCase, files.get(0), options, reader);
            }
            ArgusConfig.Inference sized = argus.config().inference(); // with a tuned setting where one applies
            int batch = batchSize != null ? batchSize : sized.workers() * sized.maxBatch();
            ProgressBar bar = showProgress ? new ProgressBar(err, "images", files.size(), terminal) : null;
            return classifyMany(useCase, files, options, Math.max(1, batch), bar, reader);
        }
    }

    /**
     * Every flag, checked before configuration is read or a model loaded: a wrong one is a usage error (exit 2) that
     * says which flag and what it takes, however long the model would have taken to load or download.
     */
    private ClassifyOptions checkFlags() {
        int topK = output.topK();
        if (topK < 1 || topK > ClassifyOptions.MAX_TOP_K) {
            throw usage("--top-k must be 1.." + ClassifyOptions.MAX_TOP_K + ", got " + topK + ".");
        }
        LabelStyle style;
        try {
            style = LabelStyle.parse(output.labelStyle());
        } catch (ArgusException e) {
            throw usage("--label-style must be cloudflare or imagenet, got '" + output.labelStyle() + "'.");
        }
        if (batchSize != null && batchSize < 1) {
            throw usage("--batch-size must be at least 1, got " + batchSize + ".");
        }
        if (modelName != null && modelName.isBlank()) {
            throw usage("--model-name must name a model (or an alias), got an empty name.");
        }
        if (modelVersion != null && !modelVersion.strip().matches("[0-9]{1,18}")) {
            throw usage("--model-version must be a version number (a folder of the model in the repository), got '"
                    + modelVersion + "'.");
        }
        if (inputs.stream().filter(ClassifyInputs::isStdin).count() > 1) {
            throw usage("'-' (an image on standard input) can be given once; standard input holds one image.");
        }
        return new ClassifyOptions(topK, style);
    }

    private picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
    }

    private int classifyOne(ClassifyImageUseCase useCase, Path file, ClassifyOptions options, ClassifyInputs reader) {
        ClassificationOutcome outcome = classify(useCase, List.of(file), options, reader).get(0);
        if (outcome instanceof ClassificationOutcome.Success s) {
            out.println(RestCloudflareWire.write(RestCloudflareWire.success(RestCloudflareWire.result(s.result().classifications()))));
            return ExitCodes.OK;
        }
        ClassificationOutcome.Failure f = (ClassificationOutcome.Failure) outcome;
        out.println(RestCloudflareWire.write(RestCloudflareWire.failure(RestCloudflareWire.status(f.code()).code(), f.message())));
        err.println("argus: " + ClassifyInputs.describe(file) + ": " + f.message());
        return ExitCodes.of(f.code());
    }

    /** One JSON line per file, in batches; {@code bar} null for no progress. */
    private int classifyMany(ClassifyImageUseCase useCase, List<Path> files, ClassifyOptions options, int batch,
                             ProgressBar bar, ClassifyInputs reader) {
        int failed = 0;
        for (int start = 0; start < files.size(); start += batch) {
            List<Path> chunk = files.subList(start, Math.min(files.size(), start + batch));
            List<ClassificationOutcome> outcomes = classify(useCase, chunk, options, reader);
            for (int i = 0; i < chunk.size(); i++) {
                var line = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("file", chunk.get(i).toString());
                if (outcomes.get(i) instanceof ClassificationOutcome.Success s) {
                    line.set("result", RestCloudflareWire.result(s.result().classifications()));
                } else {
                    ClassificationOutcome.Failure f = (ClassificationOutcome.Failure) outcomes.get(i);
                    line.putObject("error").put("code", RestCloudflareWire.status(f.code()).code()).put("message", f.message());
                    failed++;
                }
                out.println(RestCloudflareWire.write(line));
            }
            out.flush();
            if (bar != null) {
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
     * Reads the inputs and classifies them as one batch. One that cannot be read, or is over the byte limit, fails
     * alone with a clear message.
     */
    private static List<ClassificationOutcome> classify(ClassifyImageUseCase useCase, List<Path> files, ClassifyOptions options,
                                                        ClassifyInputs reader) {
        return Outcomes.classify(files, reader::read, images -> useCase.classifyBatch(images, options));
    }
}

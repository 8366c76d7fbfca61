package dev.argus.spark;

import dev.argus.app.cli.ClassifyOutputOptions;
import dev.argus.app.cli.ConfigOptions;
import dev.argus.app.cli.ExitCodes;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Settings;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.LabelStyle;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spark-submit --class dev.argus.spark.ClassifyJob argus-spark-job.jar --input DIR --output DIR [options]}:
 * classifies every image of a directory, object-store prefix or Parquet table and writes one row per image. Argus's
 * configuration comes exactly as for {@code argus} ({@code --config}, {@code ARGUS_*}, {@code -D key=value},
 * {@code --backend}, {@code --model}); each executor starts one Argus from it through {@code Argus.start}.
 */
@Command(name = "argus-spark", sortOptions = false,
        description = {"Classify a directory, object-store prefix or Parquet table of images with Spark.",
                "One output row per image: path, labels, scores, class_indices, backend, model, error."})
public final class ClassifyJob implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "Directory or prefix of image files (file:/, hdfs://, s3a://...), or a Parquet table.")
    String input;

    @Option(names = "--format", paramLabel = "FORMAT", description = "binaryFile (image files, default) or parquet.")
    String format = "binaryFile";

    @Option(names = "--glob", paramLabel = "GLOB", description = "binaryFile: file names to read (default ${DEFAULT-VALUE}).")
    String glob = InputReader.DEFAULT_GLOB;

    @Option(names = "--recursive", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "binaryFile: search subdirectories (default true).")
    boolean recursive;

    @Option(names = "--image-column", paramLabel = "NAME", description = "parquet: the binary column of image bytes (default content).")
    String imageColumn;

    @Option(names = "--path-column", paramLabel = "NAME", description = "parquet: the column written as path (default path).")
    String pathColumn;

    @Option(names = "--output", required = true, paramLabel = "PATH", description = "Where to write the results (a directory).")
    String output;

    @Option(names = "--output-format", paramLabel = "FORMAT", description = "parquet (default) or json (JSON lines).")
    String outputFormat = "parquet";

    @Option(names = "--overwrite", description = "Replace the output if it exists (default: refuse).")
    boolean overwrite;

    @Mixin
    ClassifyOutputOptions classifyOutput;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per classifier call (default argus.inference.max-batch).")
    Integer batchSize;

    @Option(names = "--partitions", paramLabel = "N", description = "Repartition the input into N partitions first (default: Spark's split).")
    Integer partitions;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master when not started by spark-submit, e.g. local[4].")
    String master;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec commandSpec;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    ClassifyJob(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, System.getenv());
        if (code != ExitCodes.OK) {
            System.exit(code);
        }
    }

    /**
     * Runs the job and returns its exit code: 0 done (bad images are error rows, not failures), 2 wrong usage, 3 bad
     * configuration or model, 4 engine, backend or Spark failure. Uses the running SparkSession when there is one.
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        CommandLine cli = new CommandLine(new ClassifyJob(out, err, env));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            JobErrors.Report r = JobErrors.report(e);
            err.println("argus-spark: " + r.message());
            return r.exitCode();
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        JobSpec spec = spec();
        Settings settings = configOptions.settings(env);
        ArgusConfig.from(settings, env); // every bad key or value fails here, before Spark starts
        boolean ownSession = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        if (ownSession && master == null && System.getProperty("spark.master") == null) {
            throw new JobUsageException("No Spark master: start the job with spark-submit, or pass --master local[*] to run here.");
        }
        SparkSession.Builder builder = SparkSession.builder().appName("argus-classify");
        if (master != null) {
            builder.master(master);
        }
        if (ownSession) { // spark-submit passes --conf as system properties; executors start with the session
            ExecutorEnvironment.settings(System::getProperty).forEach(builder::config);
        }
        SparkSession spark = builder.getOrCreate();
        try {
            if (commandSpec.commandLine().getParseResult().hasMatchedOption("--quiet")) {
                spark.sparkContext().setLogLevel("WARN");
            }
            ExecutorSettings executors = ExecutorSizing.apply(ExecutorSettings.of(settings), key -> Optional.ofNullable(spark.sparkContext().getConf().get(key, null)),
                    Runtime.getRuntime().availableProcessors());
            ArgusConfig config = executors.config(env);
            int batch = spec.batchSize().orElse(config.inference().maxBatch());
            BulkClassification.Summary s = BulkClassification.run(spark, spec, executors, batch);
            out.println(String.format(Locale.ROOT, "argus-spark: %d images classified into %s (%s) in %.1f s, %.1f images/s; %d could "
                            + "not be classified (see the error column)", s.images(), spec.output(),
                    spec.outputFormat().name().toLowerCase(Locale.ROOT), s.seconds(), s.imagesPerSecond(), s.failed()));
            return ExitCodes.OK;
        } finally {
            if (spark.sparkContext().isLocal()) {
                ExecutorClassifiers.closeAll(); // this JVM was the only executor
            }
            if (ownSession) {
                spark.stop();
            }
        }
    }

    /** The job's own options, validated with messages that say what to do. */
    private JobSpec spec() {
        JobSpec.InputFormat in = JobSpec.InputFormat.parse(format);
        if (in == JobSpec.InputFormat.BINARY_FILE && (imageColumn != null || pathColumn != null)) {
            throw new JobUsageException("--image-column and --path-column apply to --format parquet; binaryFile input has "
                    + "its own columns (path, content).");
        }
        int topK = classifyOutput.topK();
        String labelStyle = classifyOutput.labelStyle();
        if (topK < 1 || topK > ClassifyOptions.MAX_TOP_K) {
            throw new JobUsageException("--top-k must be 1.." + ClassifyOptions.MAX_TOP_K + ", got " + topK + ".");
        }
        if (batchSize != null && (batchSize < 1 || batchSize > 1024)) {
            throw new JobUsageException("--batch-size must be 1..1024, got " + batchSize + ".");
        }
        if (partitions != null && partitions < 1) {
            throw new JobUsageException("--partitions must be >= 1, got " + partitions + ".");
        }
        LabelStyle style;
        try {
            style = LabelStyle.parse(labelStyle);
        } catch (RuntimeException e) {
            throw new JobUsageException("--label-style must be cloudflare or imagenet, got '" + labelStyle + "'.");
        }
        if (input.isBlank() || output.isBlank()) {
            throw new JobUsageException("--input and --output must not be empty.");
        }
        return new JobSpec(input, in, glob, recursive, imageColumn == null ? "content" : imageColumn,
                pathColumn == null ? "path" : pathColumn, output, JobSpec.OutputFormat.parse(outputFormat), overwrite, topK,
                style, Optional.ofNullable(batchSize), Optional.ofNullable(partitions));
    }
}

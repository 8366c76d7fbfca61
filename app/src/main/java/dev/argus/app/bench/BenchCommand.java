package dev.argus.app.bench;

import dev.argus.app.cli.ConfigOptions;
import dev.argus.app.cli.ExitCodes;
import dev.argus.app.cli.Terminal;
import dev.argus.app.config.Backend;
import dev.argus.bench.report.AgreementTolerance;
import dev.argus.bench.report.AgreementVerdict;
import dev.argus.bench.report.BenchReport;
import dev.argus.bench.report.Machine;
import dev.argus.bench.report.MarkdownReport;
import dev.argus.bench.report.ReportWriter;
import dev.argus.bench.run.BackendSpec;
import dev.argus.bench.run.BenchPlan;
import dev.argus.bench.run.Corpus;
import dev.argus.bench.run.Orchestrator;
import dev.argus.bench.run.Worker;
import dev.argus.bench.run.WorkerResult;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code argus bench}: the same corpus through several backends, head to head; writes {@code bench.json},
 * {@code bench.md} and {@code bench.html}. Each backend runs in its own worker JVM ({@code --worker}, hidden), the
 * backends in alternation over the repetitions.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark backends head to head: throughput, latency, time split, cold start, memory, CPU and agreement.",
                "Writes bench.json, bench.md and bench.html (self-contained) into --out.",
                "Exit code 0; 5 when a backend disagrees with the reference beyond --agreement-tolerance (the reports are "
                        + "written and mark it); 3 when no backend could run; 2 on a wrong flag."})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--backends", paramLabel = "LIST", split = "\\s*,\\s*",
            description = "Backends to compare: NAME[=MODEL] for local engines (onnx=m.onnx, djl-pytorch=m.pt, "
                    + "djl-tensorflow=savedmodel/, tensorrt=m.onnx), grpc=HOST:PORT, rest=URL (another Argus), cloudflare. "
                    + "NAME{VAR=VALUE;...}=MODEL runs that worker with those environment variables (VAR= removes one), "
                    + "so one backend can be listed under several engine settings. "
                    + "Default: onnx with the configured model.")
    List<String> backends = List.of("onnx");

    @Option(names = "--reference", paramLabel = "NAME", description = "Backend the others are compared with (default onnx if listed, else the first).")
    String reference;

    @Option(names = "--images", paramLabel = "DIR", description = "Corpus: the image files under DIR (default: generated images).")
    Path images;

    @Option(names = "--generated-images", paramLabel = "N", description = "How many images to generate when --images is not given (default 21).")
    int generatedImages = 21;

    @Option(names = "--max-images", paramLabel = "N", description = "Use at most N files of --images (default 500).")
    int maxImages = 500;

    @Option(names = "--warmup", paramLabel = "N", description = "Unmeasured calls before each setting (default 5). With --arrival-rate they arrive at that rate"
            + " and spacing too, so a warm-up long enough for both JVMs' compilers ends without a backlog.")
    int warmup = 5;

    @Option(names = "--requests", paramLabel = "N", description = "Measured calls per setting (default 40).")
    int requests = 40;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Measure each setting for this long instead of --requests calls.")
    double duration;

    @Option(names = "--batch-sizes", paramLabel = "LIST", split = "\\s*,\\s*", description = "Images per call (default 1,8).")
    List<Integer> batchSizes = List.of(1, 8);

    @Option(names = "--concurrency", paramLabel = "LIST", split = "\\s*,\\s*", description = "Concurrent callers (default 1,2).")
    List<Integer> concurrency = List.of(1, 2);

    @Option(names = "--arrival-rate", paramLabel = "R", description = "An open loop: R calls a second arrive in the measured "
            + "phase, on at most --concurrency connections; latency counts from arrival. Needs --duration. Default 0: a "
            + "closed loop of --concurrency callers.")
    double arrivalRate;

    @Option(names = "--arrivals", paramLabel = "KIND", description = "How --arrival-rate spaces its calls: poisson (at random, "
            + "as independent clients; the default) or uniform (one every 1/R seconds, a paced load as wrk2 -R).")
    String arrivals;

    @Option(names = "--repetitions", paramLabel = "N", description = "Times every backend runs every setting, in alternation (default 3).")
    int repetitions = 3;

    @Option(names = "--baseline", negatable = true, description = "Also time the bare engine on pre-made tensors (default true).")
    boolean baseline = true;

    @Option(names = "--agreement-tolerance", paramLabel = "TOL", description = "How far a backend that runs here may differ "
            + "from the reference, as they are taken to run the same weights: its largest logit difference on an image as a "
            + "fraction of the reference's logit range there, top-1 equal except near ties. A backend outside it is marked "
            + "DISAGREES in the reports and the exit code is 5. TOL: " + AgreementTolerance.SYNTAX
            + " (default fp32=0.001,fp16=0.05); off for backends running different models.")
    String agreementTolerance;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the reports go (default ./argus-bench).")
    Path out = Path.of("argus-bench");

    @Option(names = "--progress", negatable = true, description = "Progress bar on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Option(names = "--worker", hidden = true)
    String worker;

    @Option(names = "--repetition", hidden = true)
    int repetition = 1;

    @Option(names = "--result", hidden = true)
    Path result;

    @Spec
    CommandSpec spec;

    private final PrintStream stdout;
    private final PrintStream err;
    private final Map<String, String> env;

    public BenchCommand(PrintStream stdout, PrintStream err, Map<String, String> env) {
        this.stdout = stdout;
        this.err = err;
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        BenchPlan plan = checkFlags();
        // the load generator and each worker JVM: a late C2 compilation here would stall the calls it times
        dev.argus.app.serve.CompilerThreads.lower(dev.argus.app.config.ServingConfig.compilerNice(configOptions.settings(env)));
        Optional<AgreementTolerance> tolerance = tolerance();
        Corpus corpus = images != null ? Corpus.load(images, maxImages) : Corpus.generated(generatedImages);
        if (worker != null) {
            return runWorker(plan, corpus);
        }
        // fail on bad configuration here, once, rather than in every worker
        ArgusBenchTargets targets = new ArgusBenchTargets(() -> configOptions.settings(env), env);
        plan.backends().forEach(targets::config);
        Set<String> halfPrecision = halfPrecision(plan.backends());
        boolean bar = progress != null ? progress : Terminal.isTerminal(err);
        BenchProgress p = new BenchProgress(err, bar);
        err.println("argus bench: " + plan.backends().size() + " backend(s) x " + plan.settings().size() + " setting(s) x "
                + plan.repetitions() + " repetition(s) on " + corpus.source() + ", " + corpus.size() + " images");
        Path work = Files.createTempDirectory("argus-bench-");
        List<Orchestrator.Run> runs;
        try {
            runs = new Orchestrator(new WorkerJvm(workerArgs(), env), p::update).run(plan, work);
        } finally {
            p.finish();
            deleteTree(work);
        }
        BenchReport report = BenchReport.build(plan, corpus, runs, Machine.here(), tolerance, halfPrecision);
        ReportWriter.Files3 files = ReportWriter.write(report, out);
        stdout.print(MarkdownReport.render(report));
        stdout.flush();
        err.println("argus bench: wrote " + files.json() + ", " + files.markdown() + ", " + files.html());
        for (BenchReport.BackendInfo b : report.backends()) {
            if (!b.status().equals(WorkerResult.OK)) {
                err.println("argus bench: " + b.id() + " " + b.status() + ": " + b.reason());
            }
        }
        boolean any = report.backends().stream().anyMatch(b -> b.status().equals(WorkerResult.OK));
        if (!any) {
            err.println("argus: no backend could run; see the reasons above.");
            return ExitCodes.CONFIGURATION;
        }
        List<AgreementVerdict> disagreeing = report.agreement().disagreeing();
        for (AgreementVerdict v : disagreeing) {
            err.println("argus bench: " + v.backend() + " vs " + v.reference() + ": " + v.summary());
        }
        if (!disagreeing.isEmpty()) {
            err.println("argus: " + disagreeing.size() + " backend(s) disagree with " + report.agreement().reference()
                    + " beyond --agreement-tolerance (exit " + ExitCodes.DISAGREEMENT + "); the reports are written.");
            return ExitCodes.DISAGREEMENT;
        }
        return ExitCodes.OK;
    }

    /** {@code --agreement-tolerance}, checked with the other flags: empty when off. */
    private Optional<AgreementTolerance> tolerance() {
        try {
            return agreementTolerance == null ? Optional.of(AgreementTolerance.DEFAULT) : AgreementTolerance.parse(agreementTolerance);
        } catch (ArgusException e) {
            throw usage(e.getMessage(), e);
        }
    }

    /**
     * The backends (ids) that compute in half precision, TensorRT at fp16, as each worker's configuration will say: this
     * command's configuration and environment with the backend's own variables on top.
     */
    Set<String> halfPrecision(List<BackendSpec> specs) {
        Set<String> half = new HashSet<>();
        for (BackendSpec spec : specs) {
            if (!spec.backend().equals(Backend.TENSORRT.id())) {
                continue;
            }
            Map<String, String> workerEnv = new HashMap<>(env);
            spec.applyEnv(workerEnv);
            if (new ArgusBenchTargets(() -> configOptions.settings(workerEnv), workerEnv).config(spec).tensorRt().precision()
                    == dev.argus.tensorrt.TensorRtConfig.Precision.FP16) {
                half.add(spec.id());
            }
        }
        return half;
    }

    /**
     * Every flag, checked before a model is read or a worker JVM started: a wrong one is a usage error (exit 2) saying
     * which flag and what it takes.
     */
    private BenchPlan checkFlags() {
        if (configOptions.backendFlag() != null || configOptions.modelFlag() != null) {
            throw usage("argus bench takes its backends and models from --backends "
                    + "(e.g. --backends onnx=model.onnx,djl-pytorch=model.pt), not from --backend/--model.", null);
        }
        if (maxImages < 1) {
            throw usage("--max-images must be at least 1, got " + maxImages, null);
        }
        if (images != null && !Files.isDirectory(images)) {
            throw usage("--images must be a directory of images; " + images + " is not one", null);
        }
        try {
            return plan(); // BackendSpec and BenchPlan check --backends, --reference and the numbers
        } catch (ArgusException e) {
            if (e.code() != ErrorCode.CONFIGURATION) {
                throw e;
            }
            throw usage(e.getMessage(), e);
        }
    }

    private ParameterException usage(String message, Throwable cause) {
        return new ParameterException(spec.commandLine(), message, cause);
    }

    private BenchPlan plan() {
        List<BackendSpec> specs = BackendSpec.parseList(String.join(",", backends), Backend.names());
        String ref = reference != null ? reference
                : specs.stream().anyMatch(s -> s.id().equals(Backend.ONNX.id())) ? Backend.ONNX.id() : specs.get(0).id();
        return new BenchPlan(specs, ref, Optional.ofNullable(images), generatedImages, warmup, requests, duration, batchSizes,
                concurrency, repetitions, baseline, true, arrivalRate, arrivals());
    }

    BenchPlan.Arrivals arrivals() {
        if (arrivals == null) {
            return BenchPlan.Arrivals.POISSON;
        }
        if (arrivalRate == 0) {
            throw ArgusException.configuration("--arrivals spaces the calls of an open loop; give --arrival-rate too "
                    + "(without it the callers form a closed loop).");
        }
        return switch (arrivals.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "poisson" -> BenchPlan.Arrivals.POISSON;
            case "uniform" -> BenchPlan.Arrivals.UNIFORM;
            default -> throw ArgusException.configuration("--arrivals must be poisson or uniform, got '" + arrivals + "'");
        };
    }

    private int runWorker(BenchPlan plan, Corpus corpus) throws IOException {
        if (result == null) {
            throw ArgusException.configuration("--worker needs --result");
        }
        BackendSpec backend = plan.backend(worker);
        WorkerResult r = new Worker(plan, corpus, err).run(backend, repetition, new ArgusBenchTargets(() -> configOptions.settings(env), env));
        Orchestrator.write(r, result);
        return ExitCodes.OK;
    }

    /** This command's own arguments, for the workers (they parse the same plan). */
    private List<String> workerArgs() {
        // the parse result holds the whole command line: what follows "bench" is this command's
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        List<String> args = new ArrayList<>(all.subList(at + 1, all.size()));
        // progress is the orchestrator's business
        args.removeIf(a -> a.equals("--progress") || a.equals("--no-progress"));
        return args;
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind is not worth failing the benchmark for
        }
    }
}

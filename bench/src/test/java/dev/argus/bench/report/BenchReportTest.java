package dev.argus.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.bench.run.BackendSpec;
import dev.argus.bench.run.BenchPlan;
import dev.argus.bench.run.Corpus;
import dev.argus.bench.run.Orchestrator;
import dev.argus.bench.run.WorkerResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report from hand-made runs: onnx (the reference) and djl-pytorch, 3 repetitions each, batch 1 x 1 and 2 callers,
 * pipeline and engine; grpc unavailable.
 */
class BenchReportTest {
    private static final String PIPELINE = WorkerResult.Measurement.PIPELINE;
    private static final String ENGINE = WorkerResult.Measurement.ENGINE;
    private static final String GRPC_REASON = "no Argus at h:1 </script><b>|";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final BenchPlan PLAN = new BenchPlan(List.of(
            new BackendSpec("onnx", "onnx", Optional.empty()),
            new BackendSpec("djl-pytorch", "djl-pytorch", Optional.of("m.pt")),
            new BackendSpec("grpc", "grpc", Optional.of("h:1"))),
            "onnx", Optional.empty(), 2, 1, 10, 0, List.of(1), List.of(1, 2), 3, true, true);
    private static final Corpus CORPUS = new Corpus("test corpus", List.of(
            new Corpus.Image("a.jpg", new byte[] {1, 2, 3}), new Corpus.Image("b.jpg", new byte[] {4, 5})));
    private static final Machine MACHINE = new Machine("host", 2, "Test CPU", 8L << 30, "Linux 6 amd64", "OpenJDK 17");

    /** img/s per backend|kind|concurrency, one per repetition. */
    private static final Map<String, double[]> THROUGHPUT = Map.of(
            "onnx|pipeline|1", new double[] {10, 12, 11}, "onnx|engine|1", new double[] {20, 22, 21},
            "onnx|pipeline|2", new double[] {15, 18, 16}, "onnx|engine|2", new double[] {30, 33, 31},
            "djl-pytorch|pipeline|1", new double[] {5, 7, 6}, "djl-pytorch|engine|1", new double[] {8, 10, 9},
            "djl-pytorch|pipeline|2", new double[] {9, 8, 7}, "djl-pytorch|engine|2", new double[] {12, 14, 13});

    static double[] quantiles(double base) {
        double[] q = new double[21];
        for (int i = 0; i < q.length; i++) {
            q[i] = base * (1 + i / 10.0);
        }
        return q;
    }

    static WorkerResult.Measurement measurement(String backend, String kind, int conc, int rep) {
        double ips = THROUGHPUT.get(backend + "|" + kind + "|" + conc)[rep - 1];
        boolean pipe = kind.equals(PIPELINE);
        boolean failing = backend.equals("onnx") && pipe && conc == 1 && rep == 2;
        double p50 = 1000 / ips;
        return new WorkerResult.Measurement(kind, 1, conc, 10, 10, 0, failing ? 1 : 0, 10 / ips, ips, p50, p50 * 1.5, p50 * 2,
                p50 * 3, p50 * 1.1, quantiles(p50 / 2), pipe ? 1.0 : 0, pipe ? 2.0 : 0, pipe ? 0.1 : 0, 0.5,
                backend.equals("djl-pytorch") ? -1 : 300L << 20, 100L << 20, failing ? List.of("OVERLOADED: busy") : List.of());
    }

    static List<WorkerResult.Answer> answers(String backend) {
        int[] b = backend.equals("onnx") ? new int[] {7, 8, 9, 10, 11} : new int[] {8, 7, 9, 10, 11};
        float[] scores = {0.5f, 0.2f, 0.1f, 0.1f, 0.1f};
        return List.of(new WorkerResult.Answer("a.jpg", null, new int[] {1, 2, 3, 4, 5}, scores, new float[] {1, 2, 3}),
                new WorkerResult.Answer("b.jpg", null, b, scores,
                        backend.equals("onnx") ? new float[] {1, 2, 3} : new float[] {1, 2, 3.5f}));
    }

    static Orchestrator.Run ok(String backend, int rep, long coldStart) {
        List<WorkerResult.Measurement> ms = new ArrayList<>();
        for (int conc : List.of(1, 2)) {
            ms.add(measurement(backend, PIPELINE, conc, rep));
            ms.add(measurement(backend, ENGINE, conc, rep));
        }
        boolean perPhase = !(backend.equals("djl-pytorch") && rep == 2);
        return new Orchestrator.Run(new WorkerResult(backend, rep, WorkerResult.OK, null, backend + " engine", "resnet-50",
                100 + 10 * rep, 200 + 10 * rep, 500L << 20, 50L << 20, perPhase, 2, ms, rep == 1 ? answers(backend) : List.of()),
                coldStart);
    }

    static List<Orchestrator.Run> runs() {
        List<Orchestrator.Run> runs = new ArrayList<>();
        for (int rep = 1; rep <= 3; rep++) {
            runs.add(ok("onnx", rep, rep == 2 ? -1 : 500 + 10 * rep));
            runs.add(ok("djl-pytorch", rep, -1));
            if (rep == 1) {
                runs.add(new Orchestrator.Run(new WorkerResult("grpc", 1, WorkerResult.UNAVAILABLE, GRPC_REASON, null, null, 0, 0,
                        0, 0, false, 2, List.of(), List.of()), -1));
            }
        }
        return runs;
    }

    private static BenchReport report() {
        return BenchReport.build(PLAN, CORPUS, runs(), MACHINE);
    }

    @Test
    void describesThePlanAndTheMachine() {
        BenchReport r = report();
        assertThat(r.schema()).isEqualTo("argus-bench/1");
        assertThat(r.machine()).isEqualTo(MACHINE);
        assertThat(r.plan().backends()).containsExactly("onnx", "djl-pytorch=m.pt", "grpc=h:1");
        assertThat(r.plan().reference()).isEqualTo("onnx");
        assertThat(r.plan().images()).isEqualTo(2);
        assertThat(r.plan().corpusBytes()).isEqualTo(5);
        assertThat(r.plan().repetitions()).isEqualTo(3);
    }

    @Test
    void givesTheMedianMinimumAndMaximumOfThroughputOverRepetitions() {
        BenchReport r = report();
        BenchReport.Row row = r.row("onnx", PIPELINE, 1, 1);
        assertThat(row.repetitions()).isEqualTo(3);
        assertThat(row.imagesPerSecond().median()).isEqualTo(11.0);
        assertThat(row.imagesPerSecond().min()).isEqualTo(10.0);
        assertThat(row.imagesPerSecond().max()).isEqualTo(12.0);
        assertThat(row.imagesPerSecond().values()).containsExactly(10.0, 12.0, 11.0);
        assertThat(row.imagesPerSecond().relativeSpread()).isCloseTo(2 / 11.0, within(1e-12));
        assertThat(r.row("djl-pytorch", PIPELINE, 1, 2).imagesPerSecond().median()).isEqualTo(8.0);
        assertThat(row.p50Ms().median()).isCloseTo(1000 / 11.0, within(1e-9));
        assertThat(row.calls()).isEqualTo(30);
        assertThat(row.failedCalls()).isEqualTo(1);
        assertThat(row.errorSamples()).containsExactly("OVERLOADED: busy");
        assertThat(row.latencyQuantilesMs()).hasSize(21);
        assertThat(row.latencyQuantilesMs()[0]).isCloseTo(500 / 11.0, within(1e-9));
    }

    @Test
    void hasOneRowPerBackendKindAndSettingAndNoneForAnUnavailableBackend() {
        BenchReport r = report();
        assertThat(r.rows()).extracting(BenchReport.Row::key).containsExactly(
                "onnx|engine|1|1", "onnx|engine|1|2", "onnx|pipeline|1|1", "onnx|pipeline|1|2",
                "djl-pytorch|engine|1|1", "djl-pytorch|engine|1|2", "djl-pytorch|pipeline|1|1", "djl-pytorch|pipeline|1|2");
        assertThat(r.row("grpc", PIPELINE, 1, 1)).isNull();
    }

    @Test
    void comparesThroughputWithTheSameBackendsEngineAndTheReferencesEngine() {
        BenchReport r = report();
        assertThat(r.row("onnx", PIPELINE, 1, 1).overheadVsEngine()).isCloseTo(11 / 21.0, within(1e-12));
        assertThat(r.row("djl-pytorch", PIPELINE, 1, 1).overheadVsEngine()).isCloseTo(6 / 9.0, within(1e-12));
        assertThat(r.row("djl-pytorch", PIPELINE, 1, 2).overheadVsEngine()).isCloseTo(8 / 13.0, within(1e-12));
        assertThat(r.row("djl-pytorch", ENGINE, 1, 1).overheadVsEngine()).isEqualTo(1.0);
        assertThat(r.row("djl-pytorch", PIPELINE, 1, 1).vsReferenceEngine()).isCloseTo(6 / 21.0, within(1e-12));
        assertThat(r.row("djl-pytorch", ENGINE, 1, 2).vsReferenceEngine()).isCloseTo(13 / 31.0, within(1e-12));
        assertThat(r.row("onnx", ENGINE, 1, 1).vsReferenceEngine()).isEqualTo(1.0);
    }

    @Test
    void unmeasuredNumbersAreEmptySpreads() {
        BenchReport r = report();
        BenchReport.Row djl = r.row("djl-pytorch", PIPELINE, 1, 1);
        assertThat(djl.peakRssBytes().median()).isNull();
        assertThat(djl.peakRssBytes().values()).isEmpty();
        assertThat(djl.peakRssBytes().relativeSpread()).isNull();
        assertThat(djl.peakRssPerPhase()).isFalse();
        assertThat(r.row("onnx", PIPELINE, 1, 1).peakRssPerPhase()).isTrue();
        assertThat(r.row("onnx", PIPELINE, 1, 1).peakRssBytes().median()).isEqualTo(300.0 * (1 << 20));
    }

    @Test
    void listsEveryBackendWithItsStartUpFiguresOrWhyItDidNotRun() {
        BenchReport r = report();
        assertThat(r.backends()).extracting(BenchReport.BackendInfo::id).containsExactly("onnx", "djl-pytorch", "grpc");
        BenchReport.BackendInfo onnx = r.backends().get(0);
        assertThat(onnx.status()).isEqualTo(WorkerResult.OK);
        assertThat(onnx.reason()).isNull();
        assertThat(onnx.engine()).isEqualTo("onnx engine");
        assertThat(onnx.loadMillis().median()).isEqualTo(120.0);
        assertThat(onnx.loadMillis().values()).containsExactly(110.0, 120.0, 130.0);
        assertThat(onnx.coldStartMillis().values()).as("a run that never answered has no cold start").containsExactly(510.0, 530.0);
        assertThat(onnx.coldStartMillis().median()).isEqualTo(520.0);
        assertThat(r.backends().get(1).coldStartMillis().median()).isNull();
        assertThat(r.backends().get(1).value()).isEqualTo("m.pt");
        BenchReport.BackendInfo grpc = r.backends().get(2);
        assertThat(grpc.status()).isEqualTo(WorkerResult.UNAVAILABLE);
        assertThat(grpc.reason()).isEqualTo(GRPC_REASON);
        assertThat(grpc.backend()).isEqualTo("grpc");
        assertThat(grpc.loadMillis().median()).isNull();
    }

    @Test
    void comparesEveryPairBothWaysWithPerImageDetailsOnlyFromTheReference() {
        BenchReport.AgreementInfo a = report().agreement();
        assertThat(a.reference()).isEqualTo("onnx");
        assertThat(a.backends()).containsExactly("onnx", "djl-pytorch");
        assertThat(a.pairs()).extracting(Agreement.Pair::a, Agreement.Pair::b).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("onnx", "djl-pytorch"), org.assertj.core.groups.Tuple.tuple("djl-pytorch", "onnx"));
        Agreement.Pair fromRef = a.pair("onnx", "djl-pytorch");
        assertThat(fromRef.images()).isEqualTo(2);
        assertThat(fromRef.top1Agreement()).isEqualTo(0.5);
        assertThat(fromRef.maxLogitDiff()).isCloseTo(0.5, within(1e-6));
        assertThat(fromRef.perImage()).extracting(Agreement.ImageAgreement::image).containsExactly("a.jpg", "b.jpg");
        Agreement.Pair toRef = a.pair("djl-pytorch", "onnx");
        assertThat(toRef.top1Agreement()).isEqualTo(0.5);
        assertThat(toRef.images()).isEqualTo(2);
        assertThat(toRef.perImage()).isEmpty();
        assertThat(a.pair("onnx", "grpc")).isNull();
    }

    @Test
    void writesStrictJsonThatReadsBack(@TempDir Path dir) throws IOException {
        ReportWriter.Files3 files = ReportWriter.write(report(), dir);
        assertThat(files.json()).isEqualTo(dir.resolve("bench.json"));
        String text = Files.readString(files.json());
        assertThat(text).doesNotContain("NaN").doesNotContain("Infinity");
        JsonNode json = JSON.readTree(text);
        assertThat(json.get("schema").asText()).isEqualTo("argus-bench/1");
        assertThat(json.at("/plan/reference").asText()).isEqualTo("onnx");
        assertThat(json.get("rows")).hasSize(8);
        assertThat(json.at("/rows/2/imagesPerSecond/median").asDouble()).isEqualTo(11.0);
        assertThat(json.at("/rows/6/peakRssBytes/median").isNull()).as("an empty spread is null").isTrue();
        assertThat(json.at("/backends/1/coldStartMillis/median").isNull()).isTrue();
        assertThat(json.at("/backends/2/status").asText()).isEqualTo("unavailable");
        assertThat(json.at("/backends/2/reason").asText()).isEqualTo(GRPC_REASON);
        assertThat(json.at("/agreement/pairs")).hasSize(2);
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("bench.json", "bench.md", "bench.html");
        }
    }

    @Test
    void writesAMarkdownSummaryWithTheBackendsAndTheAgreementMatrix(@TempDir Path dir) throws IOException {
        String md = Files.readString(ReportWriter.write(report(), dir).markdown());
        assertThat(md).startsWith("# Argus benchmark");
        assertThat(md).contains("## Backends", "| backend | status | engine |");
        assertThat(md).contains("| onnx | ok | onnx engine | 120 | 520 | 500 |");
        assertThat(md).contains("| grpc | unavailable | no Argus at h:1 </script><b>\\| |");
        assertThat(md).contains("| onnx | pipeline | 1 | 1 | 11.0 | 10.0–12.0 |");
        assertThat(md).contains("- onnx pipeline batch 1 x 1: OVERLOADED: busy");
        assertThat(md).contains("## Agreement with onnx", "| djl-pytorch | 2 | 50% | 5.00 (5) |");
        assertThat(md).contains("Top-1 agreement matrix", "| onnx | · | 50% |", "| djl-pytorch | 50% | · |");
    }

    private static final Pattern EXTERNAL = Pattern.compile("(?i)(src\\s*=|href\\s*=|url\\()\\s*[\"']?\\s*(https?:)?//");

    @Test
    void writesASelfContainedHtmlPageWithEveryChartAndTheData(@TempDir Path dir) throws IOException {
        ReportWriter.Files3 files = ReportWriter.write(report(), dir);
        String html = Files.readString(files.html());
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        for (String chart : List.of("line-chart", "box-plot", "matrix", "stacked")) {
            assertThat(html).as(chart).contains("<svg class=\"chart " + chart + "\"");
        }
        assertThat(count(html, "<svg")).isEqualTo(count(html, "</svg>"));
        Matcher external = EXTERNAL.matcher(html);
        boolean fetches = external.find();
        assertThat(fetches).as(fetches ? "fetches " + external.group() : "").isFalse();
        assertThat(html).doesNotContain("<link").doesNotContain("@import");
        assertThat(count(html, "<script")).as("only the data block").isEqualTo(1);
        assertThat(html).contains("no Argus at h:1 &lt;/script&gt;&lt;b&gt;|");

        String open = "<script type=\"application/json\" id=\"bench-data\">";
        assertThat(html).contains(open);
        int start = html.indexOf(open) + open.length();
        int end = html.indexOf("</script>", start);
        String embedded = html.substring(start, end);
        assertThat(embedded).doesNotContain("</").contains("<\\/script>");
        assertThat(JSON.readTree(embedded)).isEqualTo(JSON.readTree(Files.readString(files.json())));
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    @Test
    void aMeasurementWithoutCallsStillGivesStrictJsonWithNullsForWhatWasNotMeasured() throws IOException {
        // a duration too short for a single call: no latencies, so every latency figure is NaN in the worker's result
        double[] nan = new double[21];
        Arrays.fill(nan, Double.NaN);
        WorkerResult.Measurement none = new WorkerResult.Measurement(PIPELINE, 1, 1, 0, 0, 0, 0, 0.001, 0, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, nan, 0, 0, 0, 0, 1 << 20, 1 << 20, List.of());
        BenchPlan plan = new BenchPlan(List.of(new BackendSpec("onnx", "onnx", Optional.empty())), "onnx", Optional.empty(), 2, 0,
                1, 0.001, List.of(1), List.of(1), 1, false, false);
        Orchestrator.Run run = new Orchestrator.Run(new WorkerResult("onnx", 1, WorkerResult.OK, null, "e", "m", 1, 2, 3, 4, true, 2,
                List.of(none), List.of()), 5);
        BenchReport r = BenchReport.build(plan, CORPUS, List.of(run), MACHINE);
        assertThat(r.row("onnx", PIPELINE, 1, 1).p50Ms().median()).isNull();
        String text = ReportWriter.json(r);
        JsonNode quantiles = JSON.readTree(text).at("/rows/0/latencyQuantilesMs");
        quantiles.forEach(q -> assertThat(q.isNumber() || q.isNull()).as("latency quantile " + q).isTrue());
        assertThat(text).doesNotContain("NaN").doesNotContain("Infinity");
        assertThat(HtmlReport.render(r, text)).startsWith("<!DOCTYPE html>");
        assertThat(MarkdownReport.render(r)).contains("| onnx | pipeline | 1 | 1 |");
    }

    @Test
    void aClosedLoopHasNoArrivals() {
        assertThat(report().plan().arrivals()).isNull();
    }

    @Test
    void anOpenLoopReportSaysHowItsCallsWereSpaced() throws IOException {
        BenchPlan.Arrivals[] kinds = BenchPlan.Arrivals.values();
        for (BenchPlan.Arrivals kind : kinds) {
            BenchPlan plan = new BenchPlan(List.of(new BackendSpec("onnx", "onnx", Optional.empty())), "onnx", Optional.empty(),
                    2, 0, 1, 5, List.of(1), List.of(4), 1, false, false, 20, kind);
            BenchReport r = BenchReport.build(plan, CORPUS, runs(), MACHINE);
            assertThat(r.plan().arrivals()).isEqualTo(kind.name().toLowerCase(java.util.Locale.ROOT));
            String words = kind == BenchPlan.Arrivals.UNIFORM ? "evenly spaced (paced) at 20.0" : "at random (Poisson) at 20.0";
            assertThat(MarkdownReport.render(r)).contains("of an open loop: calls arrive " + words);
            assertThat(HtmlReport.render(r, ReportWriter.json(r))).contains("calls arrive " + words);
        }
    }

    // djl-pytorch's answers differ from onnx's: 0.5 on a logit range of 2 (25%), and top-1 on b.jpg

    private static final String DJL_VERDICT = "DISAGREES: max logit diff 0.5 is 25% of the logit range, over the 0.1% allowed "
            + "for fp32; top-1 differs on 1 of 2 images (near ties left out)";

    @Test
    void judgesEveryBackendThatAnsweredAgainstTheReference() {
        BenchReport.AgreementInfo a = report().agreement();
        assertThat(a.tolerance()).isEqualTo(AgreementTolerance.DEFAULT);
        assertThat(a.verdicts()).extracting(AgreementVerdict::backend).containsExactly("djl-pytorch");
        AgreementVerdict djl = a.verdict("djl-pytorch");
        assertThat(djl.verdict()).isEqualTo(AgreementVerdict.DISAGREES);
        assertThat(djl.summary()).isEqualTo(DJL_VERDICT);
        assertThat(a.disagreeing()).containsExactly(djl);
        assertThat(a.verdict("grpc")).as("it never answered").isNull();
    }

    @Test
    void aHalfPrecisionBackendIsJudgedWithTheFp16Bound() {
        BenchReport r = BenchReport.build(PLAN, CORPUS, runs(), MACHINE, Optional.of(new AgreementTolerance(0.001, 0.3)),
                java.util.Set.of("djl-pytorch"));
        AgreementVerdict djl = r.agreement().verdict("djl-pytorch");
        assertThat(djl.precision()).isEqualTo("fp16");
        assertThat(djl.tolerance()).isEqualTo(0.3);
        assertThat(djl.summary()).as("logits within 30%, the top-1 still differs")
                .startsWith("DISAGREES: max logit diff 0.5 is 25% of the logit range (within 30%); top-1 differs on 1 of 2");
    }

    @Test
    void marksADisagreeingBackendAtTheTopOfTheMarkdownAndInItsAgreementRow() {
        String md = MarkdownReport.render(report());
        assertThat(md).contains("> **DISAGREEMENT.** djl-pytorch answers outside the tolerance for backends that run the same "
                + "weights as onnx (see *Agreement*): its figures time wrong answers.\n>\n> - djl-pytorch: " + DJL_VERDICT);
        assertThat(md.indexOf("DISAGREEMENT")).as("above the tables").isLessThan(md.indexOf("## Backends"));
        assertThat(md).contains("| max abs logit diff | verdict |", "| djl-pytorch | 2 | 50% | 5.00 (5) | 3.0e-01 | 5.0e-01 | **"
                + DJL_VERDICT + "** |");
        assertThat(md).contains("may differ from it by at most 0.1% of the reference's logit range (fp32), 5% (fp16) on every image");
    }

    @Test
    void marksADisagreeingBackendAtTheTopOfTheHtmlAndInItsAgreementRow() throws IOException {
        BenchReport r = report();
        String html = HtmlReport.render(r, ReportWriter.json(r));
        assertThat(html).contains("<div class=\"disagreement\" id=\"disagreement\"><p><strong>DISAGREEMENT.</strong> djl-pytorch "
                + "answers outside the tolerance", "<li>djl-pytorch: " + DJL_VERDICT + "</li>");
        assertThat(html.indexOf("id=\"disagreement\"")).as("above the tables").isLessThan(html.indexOf("<h2>Backends</h2>"));
        assertThat(html).contains("<th class=\"l\">verdict</th>", "<td class=\"l verdict-disagrees\">" + DJL_VERDICT + "</td>");
    }

    @Test
    void benchJsonCarriesTheToleranceAndEveryVerdict() throws IOException {
        JsonNode a = JSON.readTree(ReportWriter.json(report())).get("agreement");
        assertThat(a.at("/tolerance/fp32").asDouble()).isEqualTo(0.001);
        assertThat(a.at("/tolerance/fp16").asDouble()).isEqualTo(0.05);
        assertThat(a.get("verdicts")).hasSize(1);
        JsonNode v = a.get("verdicts").get(0);
        assertThat(v.get("backend").asText()).isEqualTo("djl-pytorch");
        assertThat(v.get("reference").asText()).isEqualTo("onnx");
        assertThat(v.get("verdict").asText()).isEqualTo("disagrees");
        assertThat(v.get("maxLogitDiffOfRange").asDouble()).isEqualTo(0.25);
        assertThat(v.get("top1Differences").asInt()).isEqualTo(1);
        assertThat(a.at("/pairs/0/maxLogitDiffOfRange").isNumber()).isTrue();
    }

    @Test
    void backendsThatAgreeAreNotMarked() throws IOException {
        List<Orchestrator.Run> same = runs().stream().map(run -> run.result().backendId().equals("djl-pytorch")
                && !run.result().answers().isEmpty() ? withAnswers(run, answers("onnx")) : run).toList();
        BenchReport r = BenchReport.build(PLAN, CORPUS, same, MACHINE);
        assertThat(r.agreement().verdict("djl-pytorch").verdict()).isEqualTo(AgreementVerdict.AGREES);
        assertThat(r.agreement().disagreeing()).isEmpty();
        assertThat(MarkdownReport.render(r)).doesNotContain("DISAGREE").contains("| agrees: max logit diff 0 is 0% of the logit range");
        assertThat(HtmlReport.render(r, ReportWriter.json(r))).doesNotContain("DISAGREE").contains("verdict-agrees");
    }

    @Test
    void withTheToleranceOffNothingIsJudgedOrMarked() throws IOException {
        BenchReport r = BenchReport.build(PLAN, CORPUS, runs(), MACHINE, Optional.empty(), java.util.Set.of());
        assertThat(r.agreement().tolerance()).isNull();
        assertThat(r.agreement().verdicts()).isEmpty();
        String md = MarkdownReport.render(r);
        assertThat(md).doesNotContain("DISAGREE").contains("| 5.0e-01 | – |", "Verdicts: none (--agreement-tolerance off");
        assertThat(HtmlReport.render(r, ReportWriter.json(r))).doesNotContain("DISAGREE");
        assertThat(JSON.readTree(ReportWriter.json(r)).at("/agreement/tolerance").isNull()).isTrue();
    }

    private static Orchestrator.Run withAnswers(Orchestrator.Run run, List<WorkerResult.Answer> answers) {
        WorkerResult w = run.result();
        return new Orchestrator.Run(new WorkerResult(w.backendId(), w.repetition(), w.status(), w.reason(), w.engine(), w.model(),
                w.loadMillis(), w.firstAnswerMillis(), w.rssAfterLoadBytes(), w.heapAfterLoadBytes(), w.peakRssPerPhase(), w.cpus(),
                w.measurements(), answers), run.coldStartMillis());
    }
}

package dev.argus.bench.report;

import static dev.argus.bench.report.Svg.esc;

import dev.argus.bench.run.WorkerResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench.html}: one self-contained page (inline CSS and SVG, no scripts to run, nothing fetched) with the
 * tables of the Markdown summary and charts: throughput against concurrency, where the time goes, latency
 * distributions and the agreement matrix.
 */
public final class HtmlReport {
    private static final String CSS = """
            body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#222}
            h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
            .meta{color:#555}table{border-collapse:collapse;margin:1rem 0;font-size:.85rem}
            th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:right}th{background:#f5f5f5}
            td.l,th.l{text-align:left}tr.engine td{color:#555;font-style:italic}
            .status-ok{color:#1a7f37}.status-unavailable{color:#9a6700}.status-failed{color:#cf222e}
            .charts{display:flex;flex-wrap:wrap;gap:1rem}.charts figure{flex:0 1 640px;min-width:320px}
            .chart{width:100%;height:auto;background:#fff}.chart.matrix{max-width:100%}
            svg text{font-family:inherit;fill:#222}svg .grid{stroke:#e5e5e5}svg .whisker{stroke-width:1.5}
            figure{margin:0}figcaption{font-size:.8rem;color:#555;max-width:640px}
            .disagreement{border:2px solid #cf222e;background:#ffebe9;padding:.5rem 1rem;margin:1rem 0}
            td.verdict-disagrees,.disagreement strong{color:#cf222e;font-weight:bold}td.verdict-agrees{color:#1a7f37}
            """;

    private HtmlReport() {
    }

    public static String render(BenchReport r, String json) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Argus benchmark ").append(esc(r.createdAt())).append("</title><style>").append(CSS)
                .append("</style></head><body>\n");
        BenchReport.PlanInfo p = r.plan();
        h.append("<h1>Argus benchmark</h1><p class=\"meta\">").append(esc(r.createdAt())).append(" · ").append(r.machine().cpus())
                .append(" CPUs, ").append(esc(r.machine().cpuModel())).append(" · ").append(Format.mib((double) r.machine().memoryBytes()))
                .append(" MiB · ").append(esc(r.machine().java())).append("</p><p>Corpus: ").append(esc(p.corpus())).append(", ")
                .append(p.images()).append(" images. Per setting ").append(p.warmup()).append(" warm-up calls, then ")
                .append(p.durationSeconds() > 0 ? Format.num(p.durationSeconds(), 1) + " s" : p.requests() + " calls")
                .append(p.arrivalRate() > 0 ? " of an open loop: " + esc(p.arrivalWords()) + " at " + Format.num(p.arrivalRate(), 1)
                        + " calls/s, latency from arrival" : "").append("; ")
                .append(p.repetitions()).append(" repetition(s), backends in alternation, each in its own JVM. Medians over ")
                .append("repetitions; whiskers and <em>spread</em> show min–max. Compare numbers within this report only.</p>\n");
        disagreement(h, r);
        backends(h, r);
        throughputCharts(h, r);
        splitChart(h, r);
        latencyCharts(h, r);
        table(h, r);
        agreement(h, r);
        h.append("<script type=\"application/json\" id=\"bench-data\">").append(json.replace("</", "<\\/")).append("</script>\n");
        return h.append("</body></html>\n").toString();
    }

    private static void backends(StringBuilder h, BenchReport r) {
        h.append("<h2>Backends</h2><table id=\"backends\"><tr><th class=\"l\">backend</th><th class=\"l\">status</th>")
                .append("<th class=\"l\">engine / reason</th><th>model load ms</th><th>cold start ms</th><th>first answer ms</th>")
                .append("<th>RSS after load MiB</th></tr>");
        for (BenchReport.BackendInfo b : r.backends()) {
            h.append("<tr><td class=\"l\">").append(esc(b.id())).append("</td><td class=\"l status-").append(b.status()).append("\">")
                    .append(b.status()).append("</td><td class=\"l\">")
                    .append(esc(b.status().equals(WorkerResult.OK) ? b.engine() : b.reason())).append("</td><td>")
                    .append(Format.sig(b.loadMillis().median())).append("</td><td>").append(Format.sig(b.coldStartMillis().median()))
                    .append("</td><td>").append(Format.sig(b.firstAnswerMillis().median())).append("</td><td>")
                    .append(Format.mib(b.rssAfterLoadBytes().median())).append("</td></tr>");
        }
        h.append("</table><p class=\"meta\">Cold start: from launching the backend's JVM to its first answer. Model load: ")
                .append("creating the engine and loading the model, inside that JVM.</p>\n");
    }

    private static List<String> series(BenchReport r) {
        List<String> out = new ArrayList<>();
        for (BenchReport.Row row : r.rows()) {
            String k = row.backend() + "|" + row.kind();
            if (!out.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }

    private static void throughputCharts(StringBuilder h, BenchReport r) {
        h.append("<h2>Throughput against concurrency</h2><div class=\"charts\">");
        List<String> xs = r.plan().concurrency().stream().map(String::valueOf).toList();
        List<String> keys = series(r);
        for (int batch : r.plan().batchSizes()) {
            List<Svg.Series> series = new ArrayList<>();
            for (int s = 0; s < keys.size(); s++) {
                String[] k = keys.get(s).split("\\|");
                Double[] y = new Double[xs.size()];
                Double[] lo = new Double[xs.size()];
                Double[] hi = new Double[xs.size()];
                for (int i = 0; i < xs.size(); i++) {
                    BenchReport.Row row = r.row(k[0], k[1], batch, r.plan().concurrency().get(i));
                    if (row != null) {
                        y[i] = row.imagesPerSecond().median();
                        lo[i] = row.imagesPerSecond().min();
                        hi[i] = row.imagesPerSecond().max();
                    }
                }
                boolean engine = k[1].equals(WorkerResult.Measurement.ENGINE);
                series.add(new Svg.Series(k[0] + (engine ? " (engine)" : ""), colour(r, k[0]), engine, y, lo, hi));
            }
            h.append("<figure>").append(Svg.lineChart("Batch " + batch + ": images/s", "concurrent callers", "images / s", xs, series))
                    .append("<figcaption>Solid: the whole pipeline (decode, preprocess, inference, top-k). Dashed: the bare engine ")
                    .append("on pre-made tensors, the baseline.</figcaption></figure>");
        }
        h.append("</div>\n");
    }

    private static void splitChart(StringBuilder h, BenchReport r) {
        int batch = r.plan().batchSizes().get(0);
        int conc = r.plan().concurrency().get(0);
        List<String> names = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (BenchReport.BackendInfo b : r.backends()) {
            BenchReport.Row row = r.row(b.id(), WorkerResult.Measurement.PIPELINE, batch, conc);
            if (row == null || row.decodeMs().median() == null) {
                continue;
            }
            double d = nz(row.decodeMs().median());
            double i = nz(row.inferenceMs().median());
            double pp = nz(row.postprocessMs().median());
            if (d + i + pp == 0) {
                continue;
            }
            names.add(b.id());
            values.add(new double[] {d, i, pp});
        }
        if (names.isEmpty()) {
            return;
        }
        h.append("<h2>Where the time goes</h2><div class=\"charts\"><figure>")
                .append(Svg.stackedBars("Batch " + batch + ", " + conc + " caller(s): ms per image", names,
                        new String[] {"decode + preprocess", "inference", "postprocess"}, values.toArray(new double[0][])))
                .append("<figcaption>Inference per image is the engine call's time divided by the batch size, including any ")
                .append("wait for a free worker. Remote backends report no split.</figcaption></figure></div>\n");
    }

    private static void latencyCharts(StringBuilder h, BenchReport r) {
        h.append("<h2>Latency distributions</h2><div class=\"charts\">");
        for (int batch : r.plan().batchSizes()) {
            for (int conc : r.plan().concurrency()) {
                List<Svg.Box> boxes = new ArrayList<>();
                for (String key : series(r)) {
                    String[] k = key.split("\\|");
                    BenchReport.Row row = r.row(k[0], k[1], batch, conc);
                    if (row == null || row.latencyQuantilesMs().length < 21 || Double.isNaN(row.latencyQuantilesMs()[0])) {
                        continue;
                    }
                    double[] q = row.latencyQuantilesMs();
                    boxes.add(new Svg.Box(k[0] + (k[1].equals(WorkerResult.Measurement.ENGINE) ? " (engine)" : ""), colour(r, k[0]),
                            q[0], q[5], q[10], q[15], q[20], nz(row.p90Ms().median()), nz(row.p99Ms().median())));
                }
                if (!boxes.isEmpty()) {
                    h.append("<figure>").append(Svg.boxPlot("Batch " + batch + ", " + conc + " caller(s): latency per call", "ms (log scale)", boxes))
                            .append("</figure>");
                }
            }
        }
        h.append("</div><p class=\"meta\">Boxes: 25th to 75th percentile, thick mark the median, whiskers min to max, thin ")
                .append("marks the 90th and 99th percentiles; pooled as the median of each percentile over repetitions.</p>\n");
    }

    private static void table(StringBuilder h, BenchReport r) {
        String ref = r.plan().reference();
        h.append("<h2>All measurements</h2><table id=\"results\"><tr><th class=\"l\">backend</th><th class=\"l\">kind</th>")
                .append("<th>batch</th><th>callers</th><th>img/s</th><th>spread</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th>")
                .append("<th>max ms</th><th>decode ms/img</th><th>inference ms/img</th><th>post ms/img</th><th>CPU</th>")
                .append("<th>peak RSS MiB</th><th>peak heap MiB</th><th>errors</th><th>vs engine</th><th>vs ")
                .append(esc(ref)).append(" engine</th></tr>");
        for (BenchReport.Row row : r.rows()) {
            boolean pipe = row.kind().equals(WorkerResult.Measurement.PIPELINE);
            h.append("<tr class=\"").append(row.kind()).append("\"><td class=\"l\">").append(esc(row.backend())).append("</td><td class=\"l\">")
                    .append(row.kind()).append("</td>");
            cells(h, String.valueOf(row.batch()), String.valueOf(row.concurrency()), Format.sig(row.imagesPerSecond().median()),
                    Format.spread(row.imagesPerSecond()), Format.sig(row.p50Ms().median()), Format.sig(row.p90Ms().median()),
                    Format.sig(row.p99Ms().median()), Format.sig(row.maxMs().median()),
                    pipe ? Format.sig(row.decodeMs().median()) : Format.NONE, pipe ? Format.sig(row.inferenceMs().median()) : Format.NONE,
                    pipe ? Format.sig(row.postprocessMs().median()) : Format.NONE, Format.percent(row.cpuUtilisation().median()),
                    Format.mib(row.peakRssBytes().median()), Format.mib(row.peakHeapBytes().median()),
                    String.valueOf(row.failedImages() + row.failedCalls()), pipe ? Format.ratio(row.overheadVsEngine()) : Format.NONE,
                    Format.ratio(row.vsReferenceEngine()));
            h.append("</tr>");
        }
        h.append("</table>\n");
    }

    private static void agreement(StringBuilder h, BenchReport r) {
        BenchReport.AgreementInfo a = r.agreement();
        List<String> ids = a.backends();
        h.append("<h2>Agreement</h2>");
        if (ids.size() < 2) {
            h.append("<p>Only one backend answered: nothing to compare.</p>");
            return;
        }
        Double[][] v = new Double[ids.size()][ids.size()];
        String[][] tips = new String[ids.size()][ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            for (int j = 0; j < ids.size(); j++) {
                Agreement.Pair p = a.pair(ids.get(i), ids.get(j));
                v[i][j] = p == null ? null : p.top1Agreement();
                tips[i][j] = p == null ? ids.get(i) : ids.get(i) + " vs " + ids.get(j) + ": top-1 " + Format.percent(p.top1Agreement())
                        + " of " + p.images() + " images, top-5 overlap " + Format.num(p.top5OverlapMean(), 2) + "/5, max |score diff| "
                        + Format.diff(p.maxScoreDiff()) + ", max |logit diff| " + Format.diff(p.maxLogitDiff());
            }
        }
        h.append("<div class=\"charts\"><figure>").append(Svg.matrix("Top-1 agreement", ids, v, tips)).append("</figure></div>");
        h.append("<table id=\"agreement\"><tr><th class=\"l\">").append(esc(a.reference())).append(" vs</th><th>images</th>")
                .append("<th>top-1 equal</th><th>top-5 overlap mean (min) of 5</th><th>max |score diff|</th><th>max |logit diff|</th>")
                .append("<th class=\"l\">verdict</th></tr>");
        Map<String, Agreement.Pair> withRef = new LinkedHashMap<>();
        for (String b : ids) {
            Agreement.Pair p = a.pair(a.reference(), b);
            if (p != null) {
                withRef.put(b, p);
            }
        }
        withRef.forEach((b, p) -> {
            h.append("<tr><td class=\"l\">").append(esc(b)).append("</td>");
            cells(h, String.valueOf(p.images()), Format.percent(p.top1Agreement()),
                    Format.num(p.top5OverlapMean(), 2) + " (" + p.top5OverlapMin() + ")", Format.diff(p.maxScoreDiff()),
                    Format.diff(p.maxLogitDiff()));
            AgreementVerdict verdict = a.verdict(b);
            h.append("<td class=\"l verdict-").append(verdict == null ? "none" : verdict.verdict().replace(' ', '-')).append("\">")
                    .append(verdict == null ? Format.NONE : esc(verdict.summary())).append("</td></tr>");
        });
        h.append("</table><p class=\"meta\">").append(esc(MarkdownReport.toleranceNote(a))).append("</p>")
                .append("<p class=\"meta\">Score differences are over the classes both backends report (all 1000 for local ")
                .append("engines; remote APIs may return only their top 5). Logits exist only for engines that run here.</p>\n");
    }

    /** A box at the top, above everything, when a backend's answers are outside the tolerance. */
    private static void disagreement(StringBuilder h, BenchReport r) {
        List<AgreementVerdict> off = r.agreement().disagreeing();
        if (off.isEmpty()) {
            return;
        }
        h.append("<div class=\"disagreement\" id=\"disagreement\"><p><strong>DISAGREEMENT.</strong> ")
                .append(esc(String.join(", ", off.stream().map(AgreementVerdict::backend).toList())))
                .append(off.size() == 1 ? " answers" : " answer").append(" outside the tolerance for backends that run the same ")
                .append("weights as ").append(esc(r.agreement().reference())).append(" (see <a href=\"#agreement\">Agreement</a>): ")
                .append(off.size() == 1 ? "its" : "their").append(" figures time wrong answers.</p><ul>");
        for (AgreementVerdict v : off) {
            h.append("<li>").append(esc(v.backend())).append(": ").append(esc(v.summary())).append("</li>");
        }
        h.append("</ul></div>\n");
    }

    private static void cells(StringBuilder h, String... values) {
        for (String v : values) {
            h.append("<td>").append(esc(v)).append("</td>");
        }
    }

    private static String colour(BenchReport r, String backend) {
        for (int i = 0; i < r.backends().size(); i++) {
            if (r.backends().get(i).id().equals(backend)) {
                return Svg.COLOURS[i % Svg.COLOURS.length];
            }
        }
        return "#666";
    }

    private static double nz(Double d) {
        return d == null || d.isNaN() ? 0 : d;
    }
}

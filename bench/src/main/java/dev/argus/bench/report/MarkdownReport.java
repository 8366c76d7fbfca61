package dev.argus.bench.report;

import dev.argus.bench.run.WorkerResult;
import java.util.List;

/** {@code bench.md}: the summary people read in a terminal, a pull request or an issue. */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(BenchReport r) {
        StringBuilder md = new StringBuilder();
        BenchReport.PlanInfo p = r.plan();
        md.append("# Argus benchmark\n\n");
        md.append(r.createdAt()).append(" on ").append(r.machine().cpus()).append(" CPUs (").append(r.machine().cpuModel())
                .append("), ").append(Format.mib((double) r.machine().memoryBytes())).append(" MiB, ")
                .append(r.machine().java()).append(". Compare numbers within this run only.\n\n");
        md.append("Corpus: ").append(p.corpus()).append(", ").append(p.images()).append(" images. Per setting: ")
                .append(p.warmup()).append(" warm-up calls, then ")
                .append(p.durationSeconds() > 0 ? Format.num(p.durationSeconds(), 1) + " s" : p.requests() + " calls")
                .append(p.arrivalRate() > 0 ? " of an open loop: " + p.arrivalWords() + " at " + Format.num(p.arrivalRate(), 1)
                        + " a second, on at most *callers* connections, latency counted from arrival" : "")
                .append("; ").append(p.repetitions()).append(" repetition(s), backends in alternation, each in its own JVM. ")
                .append("Figures are medians over repetitions; *spread* is the min–max of throughput.\n\n");
        disagreement(md, r);
        backends(md, r);
        rows(md, r);
        agreement(md, r);
        return md.toString();
    }

    private static void backends(StringBuilder md, BenchReport r) {
        md.append("## Backends\n\n| backend | status | engine | model load ms | cold start ms | RSS after load MiB |\n")
                .append("| --- | --- | --- | --- | --- | --- |\n");
        for (BenchReport.BackendInfo b : r.backends()) {
            md.append("| ").append(b.id()).append(" | ").append(b.status()).append(" | ")
                    .append(b.status().equals(WorkerResult.OK) ? cell(b.engine()) : cell(b.reason())).append(" | ")
                    .append(Format.sig(b.loadMillis().median())).append(" | ").append(Format.sig(b.coldStartMillis().median()))
                    .append(" | ").append(Format.mib(b.rssAfterLoadBytes().median())).append(" |\n");
        }
        md.append('\n');
    }

    private static void rows(StringBuilder md, BenchReport r) {
        md.append("## Throughput and latency\n\n")
                .append("*engine* rows are the baseline: the bare engine call on pre-made tensors. *vs engine*: this row's ")
                .append("throughput over its own backend's engine row at the same setting; *vs ").append(r.plan().reference())
                .append(" engine*: over the reference's.\n\n")
                .append("| backend | kind | batch | callers | img/s | spread | p50 ms | p90 ms | p99 ms | max ms | decode ms/img | ")
                .append("inference ms/img | post ms/img | CPU | peak RSS MiB | peak heap MiB | errors | vs engine | vs ")
                .append(r.plan().reference()).append(" engine |\n")
                .append("| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (BenchReport.Row row : r.rows()) {
            boolean pipe = row.kind().equals(WorkerResult.Measurement.PIPELINE);
            md.append("| ").append(row.backend()).append(" | ").append(row.kind()).append(" | ").append(row.batch()).append(" | ")
                    .append(row.concurrency()).append(" | ").append(Format.sig(row.imagesPerSecond().median())).append(" | ")
                    .append(Format.spread(row.imagesPerSecond())).append(" | ").append(Format.sig(row.p50Ms().median()))
                    .append(" | ").append(Format.sig(row.p90Ms().median())).append(" | ").append(Format.sig(row.p99Ms().median()))
                    .append(" | ").append(Format.sig(row.maxMs().median())).append(" | ")
                    .append(pipe ? Format.sig(row.decodeMs().median()) : Format.NONE).append(" | ")
                    .append(pipe ? Format.sig(row.inferenceMs().median()) : Format.NONE).append(" | ")
                    .append(pipe ? Format.sig(row.postprocessMs().median()) : Format.NONE).append(" | ")
                    .append(Format.percent(row.cpuUtilisation().median())).append(" | ")
                    .append(Format.mib(row.peakRssBytes().median())).append(" | ").append(Format.mib(row.peakHeapBytes().median()))
                    .append(" | ").append(row.failedImages() + row.failedCalls()).append(" | ")
                    .append(pipe ? Format.ratio(row.overheadVsEngine()) : Format.NONE).append(" | ")
                    .append(Format.ratio(row.vsReferenceEngine())).append(" |\n");
        }
        md.append('\n');
        for (BenchReport.Row row : r.rows()) {
            if (!row.errorSamples().isEmpty()) {
                md.append("- ").append(row.backend()).append(' ').append(row.kind()).append(" batch ").append(row.batch())
                        .append(" x ").append(row.concurrency()).append(": ").append(cell(String.join("; ", row.errorSamples())))
                        .append('\n');
            }
        }
    }

    private static void agreement(StringBuilder md, BenchReport r) {
        BenchReport.AgreementInfo a = r.agreement();
        List<String> ids = a.backends();
        md.append("\n## Agreement with ").append(a.reference()).append("\n\n");
        if (ids.size() < 2) {
            md.append("Only one backend answered: nothing to compare.\n");
            return;
        }
        md.append("| backend | images | top-1 equal | top-5 overlap mean (min) of 5 | max abs score diff | max abs logit diff | verdict |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (String b : ids) {
            Agreement.Pair p = a.pair(a.reference(), b);
            if (p == null) {
                continue;
            }
            AgreementVerdict v = a.verdict(b);
            md.append("| ").append(b).append(" | ").append(p.images()).append(" | ").append(Format.percent(p.top1Agreement()))
                    .append(" | ").append(Format.num(p.top5OverlapMean(), 2)).append(" (").append(p.top5OverlapMin()).append(") | ")
                    .append(Format.diff(p.maxScoreDiff())).append(" | ").append(Format.diff(p.maxLogitDiff())).append(" | ")
                    .append(v == null ? Format.NONE : v.disagrees() ? "**" + cell(v.summary()) + "**" : cell(v.summary())).append(" |\n");
        }
        md.append('\n').append(toleranceNote(a)).append('\n');
        md.append("\nTop-1 agreement matrix (row vs column):\n\n| |");
        ids.forEach(id -> md.append(' ').append(id).append(" |"));
        md.append("\n| --- |").append(" ---: |".repeat(ids.size())).append('\n');
        for (String x : ids) {
            md.append("| ").append(x).append(" |");
            for (String y : ids) {
                Agreement.Pair p = a.pair(x, y);
                md.append(' ').append(x.equals(y) ? "·" : p == null ? Format.NONE : Format.percent(p.top1Agreement())).append(" |");
            }
            md.append('\n');
        }
    }

    /** A line at the top, above everything, when a backend's answers are outside the tolerance. */
    private static void disagreement(StringBuilder md, BenchReport r) {
        List<AgreementVerdict> off = r.agreement().disagreeing();
        if (off.isEmpty()) {
            return;
        }
        md.append("> **DISAGREEMENT.** ").append(String.join(", ", off.stream().map(AgreementVerdict::backend).toList()))
                .append(off.size() == 1 ? " answers" : " answer").append(" outside the tolerance for backends that run the same ")
                .append("weights as ").append(r.agreement().reference()).append(" (see *Agreement*): ")
                .append(off.size() == 1 ? "its" : "their").append(" figures time wrong answers.\n");
        for (AgreementVerdict v : off) {
            md.append(">\n> - ").append(v.backend()).append(": ").append(v.summary()).append('\n');
        }
        md.append('\n');
    }

    /** What the verdict column means, and how to change it. */
    static String toleranceNote(BenchReport.AgreementInfo a) {
        if (a.tolerance() == null) {
            return "Verdicts: none (--agreement-tolerance off: the backends are not taken to run the same weights).\n";
        }
        return "Verdicts: backends that run here are taken to run the same weights as " + a.reference() + ", so each may differ "
                + "from it by at most " + a.tolerance().describe() + " on every image, and pick the same top-1 except on "
                + "near ties (the reference's own two picks within that much). --agreement-tolerance changes the bound; "
                + "off turns verdicts off, for backends running different models. Remote backends have no logits and are "
                + "not judged.\n";
    }

    private static String cell(String s) {
        return s == null ? Format.NONE : s.replace("|", "\\|").replace("\n", " ");
    }
}

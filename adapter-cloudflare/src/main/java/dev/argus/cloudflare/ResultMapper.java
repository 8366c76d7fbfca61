package dev.argus.cloudflare;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.LabelSet;
import dev.argus.domain.Timings;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Cloudflare's {@code [{"label", "score"}]} into a {@link ClassificationResult}: best first, at most top_k,
 * labels in the requested style, class indices where the label says which class it is.
 *
 * <p>top_k above what came back (Workers AI returns its top 5): the result holds what Cloudflare returned, no padding
 * and no invented classes; the first time this happens it is logged.
 */
final class ResultMapper {
    private static final System.Logger LOG = System.getLogger(ResultMapper.class.getName());
    /** Scores are probabilities; a server's rounding may step over 0 or 1 by this much. */
    private static final double SCORE_SLACK = 1e-6;

    private final CloudflareLabels labels;
    private final String backend;
    private final String model;
    private final AtomicBoolean shortTopKLogged = new AtomicBoolean();

    ResultMapper(LabelSet labelSet, String backend, String model) {
        this.labels = new CloudflareLabels(labelSet);
        this.backend = backend;
        this.model = model;
    }

    ClassificationResult map(List<Envelope.Entry> entries, ClassifyOptions options, long httpNanos, long startNanos) {
        List<Envelope.Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingDouble(Envelope.Entry::score).reversed());
        if (options.topK() > sorted.size() && shortTopKLogged.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "top_k {1} was asked but Cloudflare returned {0} results: results hold what it "
                    + "returned, nothing invented (Workers AI answers its top 5 only). Logged once.",
                    String.valueOf(sorted.size()), String.valueOf(options.topK()));
        }
        List<Classification> out = new ArrayList<>(Math.min(options.topK(), sorted.size()));
        for (Envelope.Entry e : sorted.subList(0, Math.min(options.topK(), sorted.size()))) {
            int index = labels.classIndex(e.label());
            out.add(new Classification(labels.label(e.label(), index, options.labelStyle()), score(e), index));
        }
        long post = System.nanoTime() - startNanos;
        return new ClassificationResult(out, backend, model, new Timings(0, httpNanos, post));
    }

    private double score(Envelope.Entry e) {
        double s = e.score();
        if (s < -SCORE_SLACK || s > 1 + SCORE_SLACK) {
            throw new ArgusException(ErrorCode.REMOTE_FAILURE, "Cloudflare answered a score of " + s + " for '"
                    + e.label() + "': scores must be probabilities in [0, 1].");
        }
        return Math.min(1.0, Math.max(0.0, s));
    }
}

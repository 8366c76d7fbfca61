package dev.argus.domain;

import java.util.Objects;

/**
 * Per-request options.
 *
 * @param topK       how many classes to return, best first (1..1000, default 5 as Cloudflare returns)
 * @param labelStyle how labels are written (default Cloudflare style)
 * @param deadline   when the request must be answered (or its caller has gone); every stage checks it
 * @param trace      the span this request is part of ({@link TraceContext#NONE}: not traced); stages record their own
 *                   spans as its children, remote backends send it on
 */
public record ClassifyOptions(int topK, LabelStyle labelStyle, Deadline deadline, TraceContext trace) {
    public static final int DEFAULT_TOP_K = 5;
    public static final int MAX_TOP_K = 1000;

    public ClassifyOptions {
        Objects.requireNonNull(labelStyle, "labelStyle");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(trace, "trace");
        if (topK < 1 || topK > MAX_TOP_K) {
            throw ArgusException.invalidInput("top_k must be between 1 and " + MAX_TOP_K + ", got " + topK + ".", InputField.topK());
        }
    }

    /** Options not traced. */
    public ClassifyOptions(int topK, LabelStyle labelStyle, Deadline deadline) {
        this(topK, labelStyle, deadline, TraceContext.NONE);
    }

    /** Options without a deadline. */
    public ClassifyOptions(int topK, LabelStyle labelStyle) {
        this(topK, labelStyle, Deadline.none());
    }

    public static ClassifyOptions defaults() {
        return new ClassifyOptions(DEFAULT_TOP_K, LabelStyle.CLOUDFLARE);
    }

    public ClassifyOptions withTopK(int k) {
        return new ClassifyOptions(k, labelStyle, deadline, trace);
    }

    public ClassifyOptions withLabelStyle(LabelStyle style) {
        return new ClassifyOptions(topK, style, deadline, trace);
    }

    public ClassifyOptions withDeadline(Deadline d) {
        return new ClassifyOptions(topK, labelStyle, d, trace);
    }

    /** These options in the span {@code t} (the same options when it is already theirs: nothing is allocated). */
    public ClassifyOptions withTrace(TraceContext t) {
        return t == trace ? this : new ClassifyOptions(topK, labelStyle, deadline, t);
    }
}

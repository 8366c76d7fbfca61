package dev.argus.domain;

import java.util.Objects;

/**
 * Per-request options.
 *
 * @param topK       how many classes to return, best first (1..1000, default 5 as Cloudflare returns)
 * @param labelStyle how labels are written (default Cloudflare style)
 */
public record ClassifyOptions(int topK, LabelStyle labelStyle) {
    public static final int DEFAULT_TOP_K = 5;
    public static final int MAX_TOP_K = 1000;

    public ClassifyOptions {
        Objects.requireNonNull(labelStyle, "labelStyle");
        if (topK < 1 || topK > MAX_TOP_K) {
            throw ArgusException.invalidInput("top_k must be between 1 and " + MAX_TOP_K + ", got " + topK + ".", InputField.topK());
        }
    }

    public static ClassifyOptions defaults() {
        return new ClassifyOptions(DEFAULT_TOP_K, LabelStyle.CLOUDFLARE);
    }

    public ClassifyOptions withTopK(int k) {
        return new ClassifyOptions(k, labelStyle);
    }

    public ClassifyOptions withLabelStyle(LabelStyle style) {
        return new ClassifyOptions(topK, style);
    }
}

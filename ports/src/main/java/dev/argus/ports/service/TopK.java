package dev.argus.ports.service;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.LabelSet;
import dev.argus.domain.LabelStyle;
import java.util.ArrayList;
import java.util.List;

/**
 * Softmax over logits and selection of the best classes. Numerically stable; no allocation per class. Logits that are
 * not finite fail as {@code INFERENCE_FAILED} (the engine's fault), a label set that does not fit the model as
 * {@code CONFIGURATION}: errors of Argus's own family, which every front end maps, never a bare runtime exception.
 */
public final class TopK {
    private TopK() {
    }

    /** Softmax probabilities of {@code logits[offset .. offset+n)}, computed in double precision. */
    public static double[] softmax(float[] logits, int offset, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        if (Double.isNaN(max) || Double.isInfinite(max)) {
            throw ArgusException.inferenceFailed("The engine returned logits that are not finite (max = " + max + ").", null);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(logits[offset + i] - max);
            if (Double.isNaN(e)) {
                throw ArgusException.inferenceFailed("The engine returned a NaN logit (class " + i + ").", null);
            }
            p[i] = e;
            sum += e;
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Indices of the {@code k} largest values, largest first; ties go to the lower index. */
    public static int[] topIndices(double[] values, int k) {
        int kk = Math.min(k, values.length);
        int[] best = new int[kk];
        int size = 0;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (size == kk && v <= values[best[size - 1]]) {
                continue;
            }
            int pos = size < kk ? size++ : kk - 1;
            while (pos > 0 && values[best[pos - 1]] < v) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = i;
        }
        return best;
    }

    /** Softmax then the top {@code k} classes as labelled classifications. */
    public static List<Classification> classify(float[] logits, int offset, int n, int k, LabelSet labels, LabelStyle style) {
        if (n != labels.size()) {
            throw ArgusException.configuration("The model returns " + n + " classes but the label set '" + labels.name()
                    + "' has " + labels.size() + ".");
        }
        double[] p = softmax(logits, offset, n);
        int[] idx = topIndices(p, k);
        List<Classification> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(new Classification(labels.label(i, style), Math.min(1.0, p[i]), i));
        }
        return out;
    }
}

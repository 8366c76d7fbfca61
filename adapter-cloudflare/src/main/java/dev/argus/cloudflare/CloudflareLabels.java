package dev.argus.cloudflare;

import dev.argus.domain.LabelSet;
import dev.argus.domain.LabelStyle;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps the labels Cloudflare returns ({@code PERSIAN CAT}: the first synonym of the ImageNet class, upper-cased) back
 * to class indices, so that results carry {@code classIndex} and can be written in either {@link LabelStyle}.
 *
 * <p>Ties: three Cloudflare labels stand for two ImageNet classes each: {@code CRANE} (134 the bird, 517 the
 * machine), {@code CARDIGAN} (264 the corgi, 474 the sweater) and {@code MAILLOT} (638, 639). Such a label gets
 * class index -1 ("not known"), never a guess; its IMAGENET-style label is the full name when the candidates share it
 * ({@code crane}) and the label as Cloudflare sent it otherwise. A label that is not in the set at all (another model
 * behind the endpoint) also gets -1 and is passed through, normalised to the requested style as far as possible.
 * Full ImageNet names ({@code Pekinese, Pekingese, Peke}), as an Argus answering in IMAGENET style would send, are
 * recognised too.
 */
final class CloudflareLabels {
    private static final int AMBIGUOUS = -2;
    private final LabelSet labels;
    private final Map<String, Integer> byKey = new HashMap<>();

    CloudflareLabels(LabelSet labels) {
        this.labels = labels;
        for (int i = 0; i < labels.size(); i++) {
            byKey.merge(key(labels.label(i, LabelStyle.CLOUDFLARE)), i, (a, b) -> AMBIGUOUS);
        }
        for (int i = 0; i < labels.size(); i++) {
            // A full name with synonyms is unique; a single-word one equals its Cloudflare key, already mapped.
            byKey.putIfAbsent(key(labels.fullNames().get(i)), i);
        }
    }

    /** The class index a remote label stands for, or -1 when unknown or ambiguous. */
    int classIndex(String remoteLabel) {
        Integer i = byKey.get(key(remoteLabel));
        return i == null || i < 0 ? -1 : i;
    }

    /** The label written in {@code style}: from the label set when the class is known, else from what was sent. */
    String label(String remoteLabel, int classIndex, LabelStyle style) {
        if (classIndex >= 0) {
            return labels.label(classIndex, style);
        }
        if (style == LabelStyle.CLOUDFLARE) {
            return LabelStyle.CLOUDFLARE.apply(remoteLabel);
        }
        String shared = sharedFullName(remoteLabel);
        return shared != null ? shared : remoteLabel.strip();
    }

    /** For an ambiguous label: the full name all its candidates share, or null. */
    private String sharedFullName(String remoteLabel) {
        String k = key(remoteLabel);
        if (!Integer.valueOf(AMBIGUOUS).equals(byKey.get(k))) {
            return null;
        }
        String shared = null;
        for (int i = 0; i < labels.size(); i++) {
            if (key(labels.label(i, LabelStyle.CLOUDFLARE)).equals(k)) {
                String full = labels.fullNames().get(i);
                if (shared != null && !shared.equals(full)) {
                    return null;
                }
                shared = full;
            }
        }
        return shared;
    }

    private static String key(String label) {
        return label.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }
}

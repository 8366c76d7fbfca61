package dev.argus.domain;

import java.util.Locale;

/** How class names are written in results. */
public enum LabelStyle {
    /** Cloudflare Workers AI style: the first synonym, upper-cased ({@code "Persian cat"} -> {@code "PERSIAN CAT"}). */
    CLOUDFLARE,
    /** The full ImageNet class name with all synonyms ({@code "Pekinese, Pekingese, Peke"}). */
    IMAGENET;

    /** Applies this style to a full class name. */
    public String apply(String fullName) {
        return switch (this) {
            case IMAGENET -> fullName;
            case CLOUDFLARE -> {
                int comma = fullName.indexOf(',');
                String first = comma < 0 ? fullName : fullName.substring(0, comma);
                yield first.trim().toUpperCase(Locale.ROOT);
            }
        };
    }

    /** Parses {@code cloudflare} or {@code imagenet} (any case, also {@code full}). */
    public static LabelStyle parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "cloudflare", "cf" -> CLOUDFLARE;
            case "imagenet", "full" -> IMAGENET;
            default -> throw ArgusException.invalidInput("Unknown label style '" + text + "': use 'cloudflare' or 'imagenet'.");
        };
    }
}

package dev.argus.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ChannelOrder;
import dev.argus.domain.LabelSet;
import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.Resample;
import dev.argus.domain.ResizeMode;
import dev.argus.domain.TensorLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face model's own preprocessing and labels, read from its {@code preprocessor_config.json} and
 * {@code config.json}, following the documented semantics of the image processors in {@code transformers} (written
 * here from their documentation, not their code):
 * <ul>
 *   <li>{@code ConvNextImageProcessor} (ResNet, ConvNeXt; alias {@code ConvNextFeatureExtractor}): with
 *       {@code size.shortest_edge} under 384, the short side is resized to {@code int(shortest_edge / crop_pct)}
 *       (long side {@code int(short * long / short)}) and a centred {@code shortest_edge} square is cropped; from 384
 *       on, the image is resized straight to a {@code shortest_edge} square. Defaults: shortest_edge 384, crop_pct
 *       224/256, mean and std 0.5. Its default filter changed between transformers versions (bilinear, then bicubic),
 *       so a configuration without {@code resample} is refused rather than guessed.</li>
 *   <li>{@code ViTImageProcessor} (alias {@code ViTFeatureExtractor}): resized straight to {@code size.height x
 *       size.width}, no crop. Defaults: 224 x 224, bilinear, mean and std 0.5.</li>
 *   <li>{@code BitImageProcessor}: the short side to {@code size.shortest_edge}, then a centred {@code crop_size}
 *       crop. Defaults: shortest_edge 224, crop 224 x 224, bicubic, OpenAI CLIP's mean and std.</li>
 * </ul>
 * These are the PIL processors; the "fast" (torchvision) ones are not pixel-identical to PIL and are refused by name.
 * In all three {@code do_rescale} multiplies by {@code rescale_factor} (1/255) and {@code do_normalize} subtracts
 * {@code image_mean} and divides by {@code image_std}, in that order, on RGB. Anything else (another processor, a
 * filter other than bilinear or bicubic, an option Argus does not implement, an output whose size would depend on the
 * image) is refused with a message naming it: a wrong guess would classify every image slightly wrong, silently.
 */
public final class HuggingFaceProcessor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float[] HALF = {0.5f, 0.5f, 0.5f};
    private static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};
    /** Keys every supported processor may carry (bookkeeping, or options all three implement). */
    private static final Set<String> COMMON = Set.of("image_processor_type", "feature_extractor_type", "processor_class",
            "do_resize", "size", "resample", "do_rescale", "rescale_factor", "do_normalize", "image_mean", "image_std",
            "do_convert_rgb", "_valid_processor_keys");
    private static final Map<String, Set<String>> OWN = Map.of(
            "ConvNextImageProcessor", Set.of("crop_pct"),
            "ViTImageProcessor", Set.of(),
            "BitImageProcessor", Set.of("do_center_crop", "crop_size"));
    private static final Map<String, String> ALIASES = Map.of(
            "ConvNextFeatureExtractor", "ConvNextImageProcessor",
            "ViTFeatureExtractor", "ViTImageProcessor");

    private HuggingFaceProcessor() {
    }

    /** The preprocessing a {@code preprocessor_config.json} describes, producing tensors in {@code layout}. */
    public static PreprocessSpec read(Path file, TensorLayout layout) {
        return parse(text(file), file.toString(), layout);
    }

    /** As {@link #read}, from the file's text; {@code source} names it in messages. */
    static PreprocessSpec parse(String json, String source, TensorLayout layout) {
        JsonNode c = tree(json, source);
        String type = type(c, source);
        for (Iterator<String> names = c.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!COMMON.contains(name) && !OWN.get(type).contains(name)) {
                throw bad(source, "has the option \"" + name + "\", which Argus does not implement for " + type
                        + " (it implements " + implemented(type) + ")");
            }
        }
        if (!bool(c, "do_resize", true, source)) {
            throw bad(source, "sets do_resize to false: images would reach the model at their own size; Argus needs the "
                    + "model's fixed input size");
        }
        if (c.has("do_convert_rgb") && !bool(c, "do_convert_rgb", true, source)) {
            throw bad(source, "sets do_convert_rgb to false; Argus always converts to RGB, as the processor does by default");
        }
        boolean rescale = bool(c, "do_rescale", true, source);
        float factor = rescale ? (float) number(c, "rescale_factor", 1.0 / 255.0, source) : 1f;
        if (!(factor > 0) || Float.isInfinite(factor)) {
            throw bad(source, "has rescale_factor " + factor + "; it must be positive");
        }
        boolean normalize = bool(c, "do_normalize", true, source);
        float[] defaultMean = type.equals("BitImageProcessor") ? CLIP_MEAN : HALF;
        float[] defaultStd = type.equals("BitImageProcessor") ? CLIP_STD : HALF;
        float[] mean = normalize ? triple(c, "image_mean", defaultMean, source) : new float[] {0f, 0f, 0f};
        float[] std = normalize ? triple(c, "image_std", defaultStd, source) : new float[] {1f, 1f, 1f};
        if (type.equals("ConvNextImageProcessor") && !c.hasNonNull("resample")) {
            throw bad(source, "gives no resample; ConvNextImageProcessor's default filter is bilinear in transformers 4 and "
                    + "bicubic in later versions, so Argus will not guess: add \"resample\": 2 (bilinear) or 3 (bicubic), "
                    + "whichever the model was trained with");
        }
        Resample resample = resample(c, type.equals("BitImageProcessor") ? Resample.BICUBIC : Resample.BILINEAR, source);
        return switch (type) {
            case "ConvNextImageProcessor" -> convNext(c, source, factor, mean, std, layout, resample);
            case "ViTImageProcessor" -> {
                int[] hw = heightWidth(c, "size", 224, source);
                yield spec(hw[1], hw[0], ResizeMode.STRETCH, 0, factor, mean, std, layout, resample, source);
            }
            default -> bit(c, source, factor, mean, std, layout, resample);
        };
    }

    /**
     * The class names of a Hugging Face {@code config.json}: its {@code id2label}, whose keys must be exactly 0..N-1
     * (an {@code "N": "name"} map, as the Hub writes it).
     */
    public static LabelSet labels(Path configJson) {
        String source = configJson.toString();
        JsonNode id2label = tree(text(configJson), source).get("id2label");
        if (id2label == null || !id2label.isObject() || id2label.isEmpty()) {
            throw bad(source, "has no id2label map of class index to name");
        }
        int n = id2label.size();
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            JsonNode name = id2label.get(Integer.toString(i));
            if (name == null || !name.isTextual()) {
                throw bad(source, "id2label has " + n + " entries but no text for class " + i + " (keys must be 0.."
                        + (n - 1) + ")");
            }
            names.add(name.asText().strip());
        }
        return new LabelSet(configJson.getFileName().toString(), names);
    }

    private static PreprocessSpec convNext(JsonNode c, String source, float factor, float[] mean, float[] std,
                                           TensorLayout layout, Resample resample) {
        int shortest = shortestEdge(c, 384, source);
        double cropPct = number(c, "crop_pct", 224.0 / 256.0, source);
        if (!(cropPct > 0) || cropPct > 1) {
            throw bad(source, "has crop_pct " + cropPct + "; it must be in (0, 1]");
        }
        if (shortest >= 384) {
            // from 384 on, the processor warps to a square and does not crop (crop_pct is not used)
            return spec(shortest, shortest, ResizeMode.STRETCH, 0, factor, mean, std, layout, resample, source);
        }
        int resized = (int) (shortest / cropPct);
        return spec(shortest, shortest, ResizeMode.SHORT_SIDE_THEN_CENTER_CROP, resized, factor, mean, std, layout,
                resample, source);
    }

    private static PreprocessSpec bit(JsonNode c, String source, float factor, float[] mean, float[] std,
                                      TensorLayout layout, Resample resample) {
        int shortest = shortestEdge(c, 224, source);
        if (!bool(c, "do_center_crop", true, source)) {
            throw bad(source, "sets do_center_crop to false: the output size would follow each image's aspect ratio; "
                    + "Argus needs the model's fixed input size");
        }
        int[] crop = heightWidth(c, "crop_size", 224, source);
        if (crop[0] > shortest || crop[1] > shortest) {
            throw bad(source, "crops " + crop[1] + "x" + crop[0] + " from a short side of " + shortest
                    + " (the processor would pad; Argus does not)");
        }
        if (crop[0] != crop[1]) {
            throw bad(source, "crops a " + crop[1] + "x" + crop[0] + " rectangle; Argus crops squares after a short-side "
                    + "resize");
        }
        return spec(crop[1], crop[0], ResizeMode.SHORT_SIDE_THEN_CENTER_CROP, shortest, factor, mean, std, layout,
                resample, source);
    }

    private static PreprocessSpec spec(int width, int height, ResizeMode mode, int shortSide, float factor, float[] mean,
                                       float[] std, TensorLayout layout, Resample resample, String source) {
        try {
            return new PreprocessSpec(width, height, mode, shortSide, factor, mean, std, ChannelOrder.RGB, layout, resample);
        } catch (ArgusException e) {
            throw bad(source, "describes preprocessing Argus cannot do: " + e.getMessage());
        }
    }

    private static String type(JsonNode c, String source) {
        JsonNode t = c.hasNonNull("image_processor_type") ? c.get("image_processor_type") : c.get("feature_extractor_type");
        if (t == null || !t.isTextual()) {
            throw bad(source, "names no image_processor_type; Argus reads " + String.join(", ", OWN.keySet().stream().sorted().toList()));
        }
        String name = ALIASES.getOrDefault(t.asText(), t.asText());
        if (!OWN.containsKey(name)) {
            throw bad(source, "uses " + t.asText() + ", which Argus does not implement; it reads "
                    + String.join(", ", OWN.keySet().stream().sorted().toList()) + " (and the ConvNext and ViT feature extractors)");
        }
        return name;
    }

    private static String implemented(String type) {
        List<String> keys = new ArrayList<>(COMMON);
        keys.addAll(OWN.get(type));
        keys.remove("_valid_processor_keys");
        return String.join(", ", keys.stream().sorted().toList());
    }

    private static Resample resample(JsonNode c, Resample fallback, String source) {
        if (!c.hasNonNull("resample")) {
            return fallback;
        }
        JsonNode r = c.get("resample");
        if (!r.canConvertToInt() || !r.isIntegralNumber()) {
            throw bad(source, "has resample " + r + "; expected Pillow's filter number (2 bilinear, 3 bicubic)");
        }
        return Resample.fromPillowCode(r.asInt()).orElseThrow(() -> bad(source, "resamples with "
                + Resample.pillowName(r.asInt()) + " (" + r.asInt() + "); Argus implements BILINEAR (2) and BICUBIC (3)"));
    }

    /** {@code size.shortest_edge}, or a bare number (what older configurations write). */
    private static int shortestEdge(JsonNode c, int fallback, String source) {
        JsonNode size = c.get("size");
        if (size == null || size.isNull()) {
            return fallback;
        }
        if (size.isIntegralNumber()) {
            return pixels(size, "size", source);
        }
        if (size.isObject() && size.size() == 1 && size.has("shortest_edge")) {
            return pixels(size.get("shortest_edge"), "size.shortest_edge", source);
        }
        throw bad(source, "has size " + size + "; this processor takes {\"shortest_edge\": N}");
    }

    /** {@code {"height": H, "width": W}}, or a bare number for a square: returns {H, W}. */
    private static int[] heightWidth(JsonNode c, String key, int fallback, String source) {
        JsonNode size = c.get(key);
        if (size == null || size.isNull()) {
            return new int[] {fallback, fallback};
        }
        if (size.isIntegralNumber()) {
            int n = pixels(size, key, source);
            return new int[] {n, n};
        }
        if (size.isObject() && size.size() == 2 && size.has("height") && size.has("width")) {
            return new int[] {pixels(size.get("height"), key + ".height", source), pixels(size.get("width"), key + ".width", source)};
        }
        throw bad(source, "has " + key + " " + size + "; this processor takes {\"height\": H, \"width\": W}");
    }

    private static int pixels(JsonNode n, String key, String source) {
        if (n == null || !n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > 8192) {
            throw bad(source, "has " + key + " " + n + "; expected a whole number of pixels, 1..8192");
        }
        return n.asInt();
    }

    private static boolean bool(JsonNode c, String key, boolean fallback, String source) {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw bad(source, "has " + key + " " + v + "; expected true or false");
        }
        return v.asBoolean();
    }

    private static double number(JsonNode c, String key, double fallback, String source) {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw bad(source, "has " + key + " " + v + "; expected a number");
        }
        return v.asDouble();
    }

    private static float[] triple(JsonNode c, String key, float[] fallback, String source) {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) {
            return fallback.clone();
        }
        if (!v.isArray() || v.size() != 3) {
            throw bad(source, "has " + key + " " + v + "; expected three numbers, one per RGB channel");
        }
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            if (!v.get(i).isNumber()) {
                throw bad(source, "has " + key + " " + v + "; expected three numbers, one per RGB channel");
            }
            out[i] = (float) v.get(i).asDouble();
        }
        return out;
    }

    private static JsonNode tree(String json, String source) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw bad(source, "is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw bad(source, "is not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static String text(Path file) {
        try {
            if (Files.size(file) > 1 << 20) {
                throw bad(file.toString(), "is over 1 MiB; a processor or model configuration is a few kilobytes");
            }
            return Files.readString(file);
        } catch (IOException e) {
            throw ArgusException.configuration("Cannot read " + file + ": " + e.getMessage());
        }
    }

    private static ArgusException bad(String source, String what) {
        return ArgusException.configuration("The Hugging Face configuration " + source + " " + what + ".");
    }
}

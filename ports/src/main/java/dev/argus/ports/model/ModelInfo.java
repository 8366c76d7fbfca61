package dev.argus.ports.model;

import dev.argus.domain.LabelSet;
import dev.argus.domain.PreprocessSpec;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a classifier serves, for health and metadata endpoints.
 *
 * @param backend     backend name as configured ({@code onnx}, {@code djl-pytorch}, ...)
 * @param model       model name
 * @param engine      engine and version details for humans ({@code onnxruntime 1.29.0, CPU, 2 threads})
 * @param preprocess  the model's input spec, when the backend runs the model locally
 * @param labelCount  number of classes
 * @param labels      the class names, when the model runs here (for labelling raw logits)
 * @param properties  what the model file records about itself (ONNX {@code metadata_props}: {@code precision},
 *                    {@code quantization.*}); sorted by key, empty when nothing is recorded
 */
public record ModelInfo(String backend, String model, String engine, Optional<PreprocessSpec> preprocess, int labelCount,
                        Optional<LabelSet> labels, Map<String, String> properties) {

    /** Key of the numeric precision a model records ({@code int8} for a model written by {@code argus quantize}). */
    public static final String PRECISION = "precision";
    /** Prefix of the keys {@code argus quantize} records: its scheme, calibration and measured agreement. */
    public static final String QUANTIZATION_PREFIX = "quantization.";
    /**
     * Prefix of the agreement with the float model that {@code argus quantize} measured: {@code images}, {@code top1},
     * {@code top1_lower95}, {@code top5_overlap}, {@code max_score_difference}.
     */
    public static final String AGREEMENT_PREFIX = QUANTIZATION_PREFIX + "agreement.";

    public ModelInfo {
        Objects.requireNonNull(properties, "properties");
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /** A model that records nothing about itself. */
    public ModelInfo(String backend, String model, String engine, Optional<PreprocessSpec> preprocess, int labelCount,
                     Optional<LabelSet> labels) {
        this(backend, model, engine, preprocess, labelCount, labels, Map.of());
    }

    /** A model whose class names are not known here (a remote backend). */
    public ModelInfo(String backend, String model, String engine, Optional<PreprocessSpec> preprocess, int labelCount) {
        this(backend, model, engine, preprocess, labelCount, Optional.empty());
    }

    /** The precision the model records, e.g. {@code int8}; empty when it records none. */
    public Optional<String> precision() {
        return Optional.ofNullable(properties.get(PRECISION));
    }

    /**
     * One line for people: the recorded precision and, for a model {@code argus quantize} wrote, the agreement it
     * measured, e.g. {@code precision int8; agreement with the float model on 400 held-out images: top-1 1.0000 (at
     * least 0.9905 at 95% confidence), mean top-5 overlap 0.9810, largest score difference 0.0123}. {@code precision not recorded} when the model says nothing.
     */
    public String precisionSummary() {
        return summary(properties);
    }

    /** {@link #precisionSummary()} of a model's recorded properties. */
    public static String summary(Map<String, String> properties) {
        String precision = properties.get(PRECISION);
        StringBuilder b = new StringBuilder(precision == null ? "precision not recorded" : "precision " + precision);
        String top1 = properties.get(AGREEMENT_PREFIX + "top1");
        if (top1 != null) {
            b.append("; agreement with the float model");
            String images = properties.get(AGREEMENT_PREFIX + "images");
            if (images != null) {
                b.append(" on ").append(images).append(" held-out images");
            }
            b.append(": top-1 ").append(top1);
            String lower = properties.get(AGREEMENT_PREFIX + "top1_lower95");
            if (lower != null) {
                b.append(" (at least ").append(lower).append(" at 95% confidence)");
            }
            String top5 = properties.get(AGREEMENT_PREFIX + "top5_overlap");
            if (top5 != null) {
                b.append(", mean top-5 overlap ").append(top5);
            }
            String diff = properties.get(AGREEMENT_PREFIX + "max_score_difference");
            if (diff != null) {
                b.append(", largest score difference ").append(diff);
            }
        }
        return b.toString();
    }

    /** The {@code quantization.*} entries, with the prefix removed (e.g. {@code agreement.top1 -> 0.9950}). */
    public Map<String, String> quantization() {
        Map<String, String> q = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(QUANTIZATION_PREFIX)) {
                q.put(k.substring(QUANTIZATION_PREFIX.length()), v);
            }
        });
        return Collections.unmodifiableMap(q);
    }
}

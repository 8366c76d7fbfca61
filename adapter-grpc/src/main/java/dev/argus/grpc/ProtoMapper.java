package dev.argus.grpc;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ImageInput;
import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.Timings;
import dev.argus.grpc.v1.ByteValues;
import dev.argus.grpc.v1.Classification;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyResponse;
import dev.argus.grpc.v1.Image;
import dev.argus.grpc.v1.ImageOutcome;
import dev.argus.grpc.v1.InputSpec;
import dev.argus.grpc.v1.LabelStyle;
import dev.argus.grpc.v1.ModelInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Translates between the argus.v1 messages and the domain types. No logic beyond that. */
final class ProtoMapper {
    private ProtoMapper() {
    }

    // ---- requests (server side) ----

    static ImageInput image(ClassifyRequest request) {
        return switch (request.getImageCase()) {
            case ENCODED -> ImageInput.of(request.getEncoded().toByteArray());
            case NUMBERS -> ImageInput.ofNumbers(numbers(request.getNumbers()));
            case IMAGE_NOT_SET -> throw noImage();
        };
    }

    static ImageInput image(Image image) {
        return switch (image.getImageCase()) {
            case ENCODED -> ImageInput.of(image.getEncoded().toByteArray());
            case NUMBERS -> ImageInput.ofNumbers(numbers(image.getNumbers()));
            case IMAGE_NOT_SET -> throw noImage();
        };
    }

    private static double[] numbers(ByteValues values) {
        double[] out = new double[values.getValuesCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.getValues(i);
        }
        return out;
    }

    private static ArgusException noImage() {
        return ArgusException.invalidInput("No image: set `encoded` (the image file's bytes) or `numbers` (the same bytes as integers 0..255).");
    }

    static ClassifyOptions options(int topK, LabelStyle style) {
        int k = topK == 0 ? ClassifyOptions.DEFAULT_TOP_K : topK;
        return new ClassifyOptions(k, labelStyle(style));
    }

    private static dev.argus.domain.LabelStyle labelStyle(LabelStyle style) {
        return switch (style) {
            case LABEL_STYLE_UNSPECIFIED, LABEL_STYLE_CLOUDFLARE -> dev.argus.domain.LabelStyle.CLOUDFLARE;
            case LABEL_STYLE_IMAGENET -> dev.argus.domain.LabelStyle.IMAGENET;
            case UNRECOGNIZED -> throw ArgusException.invalidInput("Unknown label_style: use LABEL_STYLE_CLOUDFLARE or LABEL_STYLE_IMAGENET.");
        };
    }

    // ---- responses (server side) ----

    static ClassifyResponse response(ClassificationResult result) {
        ClassifyResponse.Builder b = ClassifyResponse.newBuilder()
                .setBackend(result.backend())
                .setModel(result.model())
                .setTimings(dev.argus.grpc.v1.Timings.newBuilder()
                        .setDecodeNanos(result.timings().decodeNanos())
                        .setInferenceNanos(result.timings().inferenceNanos())
                        .setPostprocessNanos(result.timings().postprocessNanos())
                        .setTotalNanos(result.timings().totalNanos()));
        for (dev.argus.domain.Classification c : result.classifications()) {
            b.addClassifications(Classification.newBuilder()
                    .setLabel(c.label()).setScore(c.score()).setClassIndex(c.classIndex()));
        }
        return b.build();
    }

    /** A batch outcome; a failure's field is named under {@code images[index].}. */
    static ImageOutcome outcome(ClassificationOutcome outcome, int index) {
        if (outcome instanceof ClassificationOutcome.Success s) {
            return ImageOutcome.newBuilder().setResult(response(s.result())).build();
        }
        ClassificationOutcome.Failure f = (ClassificationOutcome.Failure) outcome;
        return ImageOutcome.newBuilder()
                .setError(GrpcErrors.toProtoError(f.code(), f.message(), f.field(), "images[" + index + "]."))
                .build();
    }

    static ModelInfo modelInfo(dev.argus.ports.model.ModelInfo info, int maxRequestBytes) {
        ModelInfo.Builder b = ModelInfo.newBuilder()
                .setModel(info.model())
                .setBackend(info.backend())
                .setEngine(info.engine())
                .setLabelCount(info.labelCount())
                .setMaxRequestBytes(maxRequestBytes)
                .putAllProperties(info.properties());
        info.precision().ifPresent(b::setPrecision);
        info.preprocess().ifPresent(p -> b.setInput(inputSpec(p)));
        return b.build();
    }

    private static InputSpec inputSpec(PreprocessSpec p) {
        InputSpec.Builder b = InputSpec.newBuilder()
                .setWidth(p.inputWidth())
                .setHeight(p.inputHeight())
                .setResize(p.resizeMode().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .setResizeShortSide(p.resizeShortSide())
                .setScale(p.scale())
                .setChannelOrder(p.channelOrder().name().toLowerCase(Locale.ROOT))
                .setLayout(p.layout().name().toLowerCase(Locale.ROOT))
                .setResample(p.resample().name().toLowerCase(Locale.ROOT));
        for (int i = 0; i < 3; i++) {
            b.addMean(p.mean()[i]).addStd(p.std()[i]);
        }
        return b.build();
    }

    // ---- client side ----

    static LabelStyle labelStyle(dev.argus.domain.LabelStyle style) {
        return switch (style) {
            case CLOUDFLARE -> LabelStyle.LABEL_STYLE_CLOUDFLARE;
            case IMAGENET -> LabelStyle.LABEL_STYLE_IMAGENET;
        };
    }

    /** A remote result, reported under this side's backend name. */
    static ClassificationResult result(ClassifyResponse response, String backend) {
        List<dev.argus.domain.Classification> classes = new ArrayList<>(response.getClassificationsCount());
        for (Classification c : response.getClassificationsList()) {
            classes.add(new dev.argus.domain.Classification(c.getLabel(), c.getScore(), Math.max(-1, c.getClassIndex())));
        }
        dev.argus.grpc.v1.Timings t = response.getTimings();
        return new ClassificationResult(classes, backend, response.getModel(),
                new Timings(t.getDecodeNanos(), t.getInferenceNanos(), t.getPostprocessNanos()));
    }

    static ClassificationOutcome outcome(ImageOutcome outcome, String backend) {
        return switch (outcome.getOutcomeCase()) {
            case RESULT -> new ClassificationOutcome.Success(result(outcome.getResult(), backend));
            case ERROR -> failure(outcome.getError());
            case OUTCOME_NOT_SET -> new ClassificationOutcome.Failure(dev.argus.domain.ErrorCode.REMOTE_FAILURE,
                    "The remote Argus sent an empty outcome.");
        };
    }

    /** A remote per-image error; its blamed field only for the caller's own mistake, as for a whole-call refusal. */
    private static ClassificationOutcome.Failure failure(dev.argus.grpc.v1.Error error) {
        dev.argus.domain.ErrorCode code = GrpcErrors.toErrorCode(error);
        return new ClassificationOutcome.Failure(code, error.getMessage(),
                code == dev.argus.domain.ErrorCode.INVALID_INPUT ? GrpcErrors.inputField(error.getField()) : null);
    }

    /** This side's view of a remote model: the remote runs it, so no local input spec; what the model records is kept. */
    static dev.argus.ports.model.ModelInfo modelInfo(ModelInfo remote, String backend, String target) {
        String engine = "Argus gRPC at " + target + " -> " + remote.getBackend() + " (" + remote.getEngine() + ")";
        java.util.Map<String, String> properties = new java.util.TreeMap<>(remote.getPropertiesMap());
        if (!remote.getPrecision().isEmpty()) {
            properties.putIfAbsent(dev.argus.ports.model.ModelInfo.PRECISION, remote.getPrecision());
        }
        return new dev.argus.ports.model.ModelInfo(backend, remote.getModel(), engine, Optional.empty(), remote.getLabelCount(),
                Optional.empty(), properties);
    }
}

package dev.argus.domain;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a model needs done to an image before it sees it. Belongs to the model, not to the engine: a ResNet-50 from
 * Hugging Face and a Keras ResNet50 need different specs.
 *
 * @param inputWidth      model input width in pixels (224 for ResNet-50)
 * @param inputHeight     model input height in pixels
 * @param resizeMode      how the image is brought to the input size
 * @param resizeShortSide short side after resizing, for {@link ResizeMode#SHORT_SIDE_THEN_CENTER_CROP} (256)
 * @param scale           factor applied to 0..255 values before normalising (1/255 for [0,1])
 * @param mean            per-channel mean subtracted after scaling, in the model's channel order
 * @param std             per-channel standard deviation divided by after subtracting the mean
 * @param channelOrder    RGB or BGR
 * @param layout          NCHW or NHWC
 * @param resample        the resize's filter, as Pillow's
 */
public record PreprocessSpec(int inputWidth, int inputHeight, ResizeMode resizeMode, int resizeShortSide,
                             float scale, float[] mean, float[] std, ChannelOrder channelOrder, TensorLayout layout,
                             Resample resample) {

    public PreprocessSpec {
        Objects.requireNonNull(resizeMode, "resizeMode");
        Objects.requireNonNull(resample, "resample");
        Objects.requireNonNull(channelOrder, "channelOrder");
        Objects.requireNonNull(layout, "layout");
        if (inputWidth < 1 || inputHeight < 1 || inputWidth > 8192 || inputHeight > 8192) {
            throw ArgusException.configuration("model input size must be 1..8192, got " + inputWidth + "x" + inputHeight);
        }
        if (resizeMode == ResizeMode.SHORT_SIDE_THEN_CENTER_CROP && resizeShortSide < Math.max(inputWidth, inputHeight)) {
            throw ArgusException.configuration("resizeShortSide " + resizeShortSide + " is smaller than the crop "
                    + inputWidth + "x" + inputHeight);
        }
        if (mean == null || std == null || mean.length != 3 || std.length != 3) {
            throw ArgusException.configuration("mean and std need 3 values each (one per channel)");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw ArgusException.configuration("std values must be positive, got " + Arrays.toString(std));
            }
        }
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw ArgusException.configuration("scale must be positive, got " + scale);
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** A spec resizing with Pillow's bicubic filter. */
    public PreprocessSpec(int inputWidth, int inputHeight, ResizeMode resizeMode, int resizeShortSide, float scale,
                          float[] mean, float[] std, ChannelOrder channelOrder, TensorLayout layout) {
        this(inputWidth, inputHeight, resizeMode, resizeShortSide, scale, mean, std, channelOrder, layout, Resample.BICUBIC);
    }

    /**
     * The preprocessing of Hugging Face's {@code microsoft/resnet-50} (and so of Cloudflare's
     * {@code @cf/microsoft/resnet-50}): short side to 256 bicubic, centre crop 224, /255, ImageNet mean/std, RGB, NCHW.
     */
    public static PreprocessSpec resnet50() {
        return new PreprocessSpec(224, 224, ResizeMode.SHORT_SIDE_THEN_CENTER_CROP, 256, 1f / 255f,
                new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, ChannelOrder.RGB, TensorLayout.NCHW);
    }

    /** Number of floats one preprocessed image occupies. */
    public int valuesPerImage() {
        return 3 * inputWidth * inputHeight;
    }

    /** Shape of a batch of {@code n} images in this spec's layout. */
    public long[] batchShape(int n) {
        return layout == TensorLayout.NCHW
                ? new long[] {n, 3, inputHeight, inputWidth}
                : new long[] {n, inputHeight, inputWidth, 3};
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreprocessSpec p && inputWidth == p.inputWidth && inputHeight == p.inputHeight
                && resizeMode == p.resizeMode && resizeShortSide == p.resizeShortSide && scale == p.scale
                && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std) && channelOrder == p.channelOrder
                && layout == p.layout && resample == p.resample;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputWidth, inputHeight, resizeMode, resizeShortSide, scale, Arrays.hashCode(mean),
                Arrays.hashCode(std), channelOrder, layout, resample);
    }

    @Override
    public String toString() {
        return "PreprocessSpec[" + inputWidth + "x" + inputHeight + " " + resizeMode + " short=" + resizeShortSide
                + " scale=" + scale + " mean=" + Arrays.toString(mean) + " std=" + Arrays.toString(std) + " "
                + channelOrder + " " + layout + " " + resample + "]";
    }
}

package dev.argus.app.wiring;

import dev.argus.app.config.ArgusConfig;
import dev.argus.imageio.ImageIoConfig;
import dev.argus.imageio.ImageIoImagePreprocessor;
import dev.argus.ports.out.ImagePreprocessor;

/**
 * The image preprocessor serving uses for a configuration: one place, so that tools that must see images exactly as
 * the server does ({@code argus quantize}'s calibration and agreement check) build the same one.
 */
public final class ServingPreprocessor {
    private ServingPreprocessor() {
    }

    public static ImagePreprocessor of(ArgusConfig config) {
        return new ImageIoImagePreprocessor(ImageIoConfig.defaults().withMaxPixels(config.maxPixels())
                .withApplyExifOrientation(config.exifOrientation())
                .withDecodeMemory(config.decodeMemoryBytes(), config.decodeWaitMillis()));
    }
}

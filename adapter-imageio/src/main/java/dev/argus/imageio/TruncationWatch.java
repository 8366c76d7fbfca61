package dev.argus.imageio;

import dev.argus.domain.ArgusException;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;

/**
 * Turns a decoder's "the data ended early" warning into a failure. The JDK's JPEG decoder (libjpeg) does not fail on
 * a truncated file: it warns "Truncated File - Missing EOI marker" (libjpeg: "Premature end of JPEG file") and fills
 * the rest grey. {@link TruncationCheck} catches such files before decoding; this is the second line. Other warnings
 * (e.g. extraneous bytes before a marker, or a corrupt data segment) are tolerated, as PIL tolerates them.
 */
final class TruncationWatch implements IIOReadWarningListener {
    private volatile String truncation;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
        if (warning != null && (warning.startsWith("Truncated File") || warning.startsWith("Premature end of JPEG file"))) {
            truncation = warning;
        }
    }

    void check() {
        if (truncation != null) {
            throw ArgusException.invalidInput("The image data is truncated or corrupt: " + truncation
                    + ". Send the complete file.");
        }
    }
}

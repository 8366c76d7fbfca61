package dev.argus.imageio;

import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;

/** An {@link IIOReadProgressListener} that ignores every event; subclasses override the ones they watch. */
abstract class ReadProgress implements IIOReadProgressListener {
    @Override
    public void sequenceStarted(ImageReader source, int minIndex) {
    }

    @Override
    public void sequenceComplete(ImageReader source) {
    }

    @Override
    public void imageStarted(ImageReader source, int imageIndex) {
    }

    @Override
    public void imageProgress(ImageReader source, float percentageDone) {
    }

    @Override
    public void imageComplete(ImageReader source) {
    }

    @Override
    public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {
    }

    @Override
    public void thumbnailProgress(ImageReader source, float percentageDone) {
    }

    @Override
    public void thumbnailComplete(ImageReader source) {
    }

    @Override
    public void readAborted(ImageReader source) {
    }
}

package dev.argus.imageio;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.util.Optional;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * A GIF whose first frame does not cover its logical screen. ImageIO returns only the frame; PIL returns the whole
 * screen (grown to hold the frame where the frame reaches past it, as PIL grows it): filled with the frame's transparent colour index (or index 0 when it has none), the frame drawn at its
 * offset, then mapped through the frame's palette. This reproduces PIL's picture.
 *
 * @param screenWidth  logical screen width
 * @param screenHeight logical screen height
 * @param left         the first frame's left offset
 * @param top          the first frame's top offset
 * @param fillIndex    palette index the rest of the screen gets
 */
record GifCanvas(int screenWidth, int screenHeight, int left, int top, int fillIndex) {
    private static final String STREAM_FORMAT = "javax_imageio_gif_stream_1.0";
    private static final String IMAGE_FORMAT = "javax_imageio_gif_image_1.0";

    /** The canvas of a GIF whose first frame is smaller than or offset within its screen; empty when it covers it. */
    static Optional<GifCanvas> of(ImageReader reader) throws IOException {
        IIOMetadata stream = reader.getStreamMetadata();
        IIOMetadata image = reader.getImageMetadata(0);
        if (stream == null || image == null) {
            return Optional.empty();
        }
        NamedNodeMap screen = child(stream.getAsTree(STREAM_FORMAT), "LogicalScreenDescriptor");
        Node imageTree = image.getAsTree(IMAGE_FORMAT);
        NamedNodeMap frame = child(imageTree, "ImageDescriptor");
        if (screen == null || frame == null) {
            return Optional.empty();
        }
        int sw = intAttr(screen, "logicalScreenWidth");
        int sh = intAttr(screen, "logicalScreenHeight");
        int left = intAttr(frame, "imageLeftPosition");
        int top = intAttr(frame, "imageTopPosition");
        int fw = intAttr(frame, "imageWidth");
        int fh = intAttr(frame, "imageHeight");
        if (sw >= 1 && sh >= 1) { // PIL grows the screen to hold a first frame that reaches past it
            sw = (int) Math.min(Integer.MAX_VALUE, Math.max(sw, (long) left + fw));
            sh = (int) Math.min(Integer.MAX_VALUE, Math.max(sh, (long) top + fh));
        }
        if (left == 0 && top == 0 && fw == sw && fh == sh || sw < 1 || sh < 1) {
            return Optional.empty();
        }
        NamedNodeMap gce = child(imageTree, "GraphicControlExtension");
        int fill = gce != null && "TRUE".equalsIgnoreCase(gce.getNamedItem("transparentColorFlag").getNodeValue())
                ? intAttr(gce, "transparentColorIndex") : 0;
        return Optional.of(new GifCanvas(sw, sh, left, top, fill));
    }

    /** The first frame drawn on the full screen, as PIL draws it (frame pixels outside the screen are dropped). */
    RgbImage compose(BufferedImage frame) {
        byte[] out = new byte[screenWidth * screenHeight * 3];
        int fill = frame.getColorModel() instanceof IndexColorModel icm && fillIndex < icm.getMapSize() ? icm.getRGB(fillIndex) : 0;
        for (int i = 0; i < out.length; i += 3) {
            out[i] = (byte) (fill >> 16);
            out[i + 1] = (byte) (fill >> 8);
            out[i + 2] = (byte) fill;
        }
        RgbImage pixels = RasterConverter.toRgb(frame);
        int w = Math.min(pixels.width(), screenWidth - left);
        int h = Math.min(pixels.height(), screenHeight - top);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = ((top + y) * screenWidth + left + x) * 3;
                out[o] = (byte) pixels.sample(x, y, 0);
                out[o + 1] = (byte) pixels.sample(x, y, 1);
                out[o + 2] = (byte) pixels.sample(x, y, 2);
            }
        }
        return RgbImage.packed(out, screenWidth, screenHeight);
    }

    private static NamedNodeMap child(Node root, String name) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals(name)) {
                return n.getAttributes();
            }
        }
        return null;
    }

    private static int intAttr(NamedNodeMap attrs, String name) {
        Node n = attrs.getNamedItem(name);
        return n == null ? 0 : Integer.parseInt(n.getNodeValue());
    }
}

package dev.argus.imageio;

import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

/**
 * Picks the decoder for each format explicitly instead of taking whatever ImageIO ranks first: plugins elsewhere on
 * the classpath (TwelveMonkeys' JPEG reader, for one) register ahead of the JDK's and would change the pixels (it
 * applies ICC profiles) and the speed. JPEG, PNG, GIF and BMP use the JDK's readers, which decode to PIL's pixels;
 * WebP uses TwelveMonkeys' pure-Java reader. Readers are not thread-safe: each call gets a new one.
 */
final class ImageReaders {
    private static final Map<ImageFormat, ImageReaderSpi> PROVIDERS = providers();

    private ImageReaders() {
    }

    static ImageReader create(ImageFormat format) throws java.io.IOException {
        return PROVIDERS.get(format).createReaderInstance();
    }

    private static Map<ImageFormat, ImageReaderSpi> providers() {
        ImageIO.setUseCache(false);
        Map<ImageFormat, ImageReaderSpi> map = new EnumMap<>(ImageFormat.class);
        map.put(ImageFormat.JPEG, jdk("jpeg.JPEGImageReaderSpi"));
        map.put(ImageFormat.PNG, jdk("png.PNGImageReaderSpi"));
        map.put(ImageFormat.GIF, jdk("gif.GIFImageReaderSpi"));
        map.put(ImageFormat.BMP, jdk("bmp.BMPImageReaderSpi"));
        map.put(ImageFormat.WEBP, new WebPImageReaderSpi());
        return map;
    }

    /** A JDK reader provider, found by class name (the classes are internal, so not referenced directly). */
    private static ImageReaderSpi jdk(String simpleName) {
        String className = "com.sun.imageio.plugins." + simpleName;
        Iterator<ImageReaderSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, false);
        while (it.hasNext()) {
            ImageReaderSpi spi = it.next();
            if (spi.getClass().getName().equals(className)) {
                return spi;
            }
        }
        throw new IllegalStateException("this JDK has no " + className + " (ImageIO's built-in reader)");
    }
}

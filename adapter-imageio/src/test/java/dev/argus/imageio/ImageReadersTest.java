package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReadersTest {

    @Test
    void usesTheJdkReadersForEverythingButWebp() throws Exception {
        for (ImageFormat format : new ImageFormat[] {ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.GIF, ImageFormat.BMP}) {
            assertThat(ImageReaders.create(format).getClass().getName()).startsWith("com.sun.imageio.plugins.");
        }
        assertThat(ImageReaders.create(ImageFormat.WEBP).getClass().getName()).startsWith("com.twelvemonkeys.");
    }

    @Test
    void givesEachCallItsOwnReader() throws Exception {
        assertThat(ImageReaders.create(ImageFormat.PNG)).isNotSameAs(ImageReaders.create(ImageFormat.PNG));
    }
}

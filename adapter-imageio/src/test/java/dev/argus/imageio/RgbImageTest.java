package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Rectangle;
import org.junit.jupiter.api.Test;

class RgbImageTest {
    /** 3x2 stored image whose red values are 0..5 in reading order. */
    private final RgbImage image = RgbImage.packed(new byte[] {0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0, 5, 0, 0}, 3, 2);

    @Test
    void orientsLikePilsExifTranspose() {
        assertThat(reds(image.oriented(1))).isEqualTo(new int[][] {{0, 1, 2}, {3, 4, 5}});
        assertThat(reds(image.oriented(2))).isEqualTo(new int[][] {{2, 1, 0}, {5, 4, 3}});       // mirror
        assertThat(reds(image.oriented(3))).isEqualTo(new int[][] {{5, 4, 3}, {2, 1, 0}});       // rotate 180
        assertThat(reds(image.oriented(4))).isEqualTo(new int[][] {{3, 4, 5}, {0, 1, 2}});       // flip
        assertThat(reds(image.oriented(5))).isEqualTo(new int[][] {{0, 3}, {1, 4}, {2, 5}});     // transpose
        assertThat(reds(image.oriented(6))).isEqualTo(new int[][] {{3, 0}, {4, 1}, {5, 2}});     // 90 clockwise
        assertThat(reds(image.oriented(7))).isEqualTo(new int[][] {{5, 2}, {4, 1}, {3, 0}});     // transverse
        assertThat(reds(image.oriented(8))).isEqualTo(new int[][] {{2, 5}, {1, 4}, {0, 3}});     // 90 anticlockwise
    }

    @Test
    void mapsUprightRegionsBackToTheStoredPixels() {
        for (int o = 1; o <= 8; o++) {
            RgbImage upright = image.oriented(o);
            Rectangle region = new Rectangle(1, 0, upright.width() - 1, 1); // all but the first column of row 0
            Rectangle stored = RgbImage.storedRegion(o, region, 3, 2);
            for (int y = region.y; y < region.y + region.height; y++) {
                for (int x = region.x; x < region.x + region.width; x++) {
                    int value = upright.sample(x, y, 0);
                    assertThat(stored.contains(value % 3, value / 3)).as("orientation %d pixel %d,%d", o, x, y).isTrue();
                }
            }
            assertThat(stored.width * stored.height).isEqualTo(region.width * region.height);
        }
    }

    @Test
    void placesADecodedRegionInFullImageCoordinates() {
        RgbImage window = RgbImage.packed(new byte[] {9, 8, 7}, 1, 1);
        RgbImage placed = window.placedAt(new Rectangle(4, 5, 1, 1), 10, 10);
        assertThat(placed.width()).isEqualTo(10);
        assertThat(placed.sample(4, 5, 0)).isEqualTo(9);
        assertThat(placed.sample(4, 5, 2)).isEqualTo(7);
    }

    private static int[][] reds(RgbImage image) {
        int[][] out = new int[image.height()][image.width()];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                out[y][x] = image.sample(x, y, 0);
            }
        }
        return out;
    }
}

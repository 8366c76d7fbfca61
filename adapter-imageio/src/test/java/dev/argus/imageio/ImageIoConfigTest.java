package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import org.junit.jupiter.api.Test;

class ImageIoConfigTest {

    @Test
    void defaultsMatchTheModelsOwnPreprocessing() {
        ImageIoConfig config = ImageIoConfig.defaults();
        assertThat(config.maxPixels()).isEqualTo(50_000_000L);
        assertThat(config.applyExifOrientation()).isTrue();
        assertThat(config.ignoreIccProfile()).isTrue();
    }

    @Test
    void rejectsPixelLimitsOutOfRange() {
        assertThatThrownBy(() -> new ImageIoConfig(0, true, true)).isInstanceOf(ArgusException.class)
                .hasMessageContaining("maxPixels");
        assertThatThrownBy(() -> ImageIoConfig.defaults().withMaxPixels(ImageIoConfig.MAX_MAX_PIXELS + 1))
                .isInstanceOf(ArgusException.class);
    }

    @Test
    void withersChangeOneSettingEach() {
        ImageIoConfig config = ImageIoConfig.defaults().withMaxPixels(10).withApplyExifOrientation(false)
                .withIgnoreIccProfile(false);
        assertThat(config).isEqualTo(new ImageIoConfig(10, false, false));
    }
}

package dev.argus.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ChannelOrder;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.LabelSet;
import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.Resample;
import dev.argus.domain.ResizeMode;
import dev.argus.domain.TensorLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuggingFaceProcessorTest {
    /** The configurations the PIL fidelity references are made from (tools/testdata/hf-processors). */
    static final Path CONFIGS = Path.of("").toAbsolutePath().resolve("../tools/testdata/hf-processors").normalize();

    @TempDir
    Path dir;

    private static PreprocessSpec parse(String json) {
        return HuggingFaceProcessor.parse(json, "test.json", TensorLayout.NCHW);
    }

    private static void refused(String json, String... words) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("test.json");
        for (String w : words) {
            assertThatThrownBy(() -> parse(json)).as(json).hasMessageContaining(w);
        }
    }

    @Test
    void microsoftResnet50sOwnConfigurationIsExactlyTheBuiltInSpec() {
        assertThat(HuggingFaceProcessor.read(CONFIGS.resolve("resnet-50.json"), TensorLayout.NCHW))
                .isEqualTo(PreprocessSpec.resnet50());
    }

    @Test
    void convNextUnder384ResizesTheShortSideToShortestEdgeOverCropPctThenCrops() {
        PreprocessSpec s = HuggingFaceProcessor.read(CONFIGS.resolve("convnext-bilinear-crop.json"), TensorLayout.NHWC);
        assertThat(s.resizeMode()).isEqualTo(ResizeMode.SHORT_SIDE_THEN_CENTER_CROP);
        assertThat(s.resizeShortSide()).isEqualTo(248); // int(224 / 0.9)
        assertThat(s.inputWidth()).isEqualTo(224);
        assertThat(s.inputHeight()).isEqualTo(224);
        assertThat(s.resample()).isEqualTo(Resample.BILINEAR);
        assertThat(s.layout()).as("the engine's layout, not the processor's").isEqualTo(TensorLayout.NHWC);
        assertThat(s.channelOrder()).isEqualTo(ChannelOrder.RGB);
    }

    @Test
    void convNextFrom384WarpsToASquareWithTheDefaults() {
        PreprocessSpec s = HuggingFaceProcessor.read(CONFIGS.resolve("convnext-384.json"), TensorLayout.NCHW);
        assertThat(s.resizeMode()).isEqualTo(ResizeMode.STRETCH);
        assertThat(s.inputWidth()).isEqualTo(384);
        assertThat(s.inputHeight()).isEqualTo(384);
        assertThat(s.resample()).isEqualTo(Resample.BILINEAR);
        assertThat(s.mean()).as("transformers' IMAGENET_STANDARD_MEAN").containsExactly(0.5f, 0.5f, 0.5f);
        assertThat(s.std()).containsExactly(0.5f, 0.5f, 0.5f);
        assertThat(s.scale()).isEqualTo((float) (1.0 / 255.0));
        // and crop_pct's default of 224/256 when it is null
        assertThat(parse("{\"image_processor_type\":\"ConvNextImageProcessor\",\"resample\":3,\"crop_pct\":null,"
                + "\"size\":{\"shortest_edge\":224}}").resizeShortSide()).isEqualTo(256);
    }

    @Test
    void vitStretchesToHeightByWidthWithHalfMeanAndStd() {
        PreprocessSpec s = HuggingFaceProcessor.read(CONFIGS.resolve("vit-wide-bicubic.json"), TensorLayout.NCHW);
        assertThat(s.resizeMode()).isEqualTo(ResizeMode.STRETCH);
        assertThat(s.inputWidth()).isEqualTo(240);
        assertThat(s.inputHeight()).isEqualTo(160);
        assertThat(s.resample()).isEqualTo(Resample.BICUBIC);
        assertThat(s.mean()).containsExactly(0.5f, 0.5f, 0.5f);
        assertThat(s.std()).containsExactly(0.5f, 0.5f, 0.5f);
        assertThat(parse("{\"feature_extractor_type\":\"ViTFeatureExtractor\"}").inputWidth()).as("default 224").isEqualTo(224);
        assertThat(parse("{\"feature_extractor_type\":\"ViTFeatureExtractor\",\"size\":300}").inputHeight()).isEqualTo(300);
    }

    @Test
    void bitResizesTheShortSideThenCropsWithClipsMeanAndStd() {
        PreprocessSpec s = HuggingFaceProcessor.read(CONFIGS.resolve("bit.json"), TensorLayout.NCHW);
        assertThat(s.resizeMode()).isEqualTo(ResizeMode.SHORT_SIDE_THEN_CENTER_CROP);
        assertThat(s.resizeShortSide()).isEqualTo(256);
        assertThat(s.inputWidth()).isEqualTo(224);
        assertThat(s.resample()).isEqualTo(Resample.BICUBIC);
        PreprocessSpec defaults = parse("{\"image_processor_type\":\"BitImageProcessor\"}");
        assertThat(defaults.resizeShortSide()).isEqualTo(224);
        assertThat(defaults.inputWidth()).isEqualTo(224);
        assertThat(defaults.mean()).containsExactly(0.48145466f, 0.4578275f, 0.40821073f);
        assertThat(defaults.std()).containsExactly(0.26862954f, 0.26130258f, 0.27577711f);
    }

    @Test
    void rescaleAndNormaliseCanBeTurnedOff() {
        PreprocessSpec s = parse("{\"image_processor_type\":\"ViTImageProcessor\",\"do_rescale\":false,\"do_normalize\":false}");
        assertThat(s.scale()).isEqualTo(1f);
        assertThat(s.mean()).containsExactly(0f, 0f, 0f);
        assertThat(s.std()).containsExactly(1f, 1f, 1f);
        assertThat(parse("{\"image_processor_type\":\"ViTImageProcessor\",\"rescale_factor\":0.5}").scale()).isEqualTo(0.5f);
    }

    @Test
    void refusesWhatItDoesNotImplementNamingIt() {
        refused("{\"image_processor_type\":\"CLIPImageProcessor\"}", "CLIPImageProcessor", "BitImageProcessor");
        refused("{\"image_processor_type\":\"ViTImageProcessorFast\"}", "ViTImageProcessorFast");
        refused("{\"image_processor_type\":\"ConvNextImageProcessor\",\"size\":{\"shortest_edge\":224}}",
                "no resample", "transformers 4");
        refused("{\"size\":224}", "image_processor_type");
        refused("{\"image_processor_type\":\"ViTImageProcessor\",\"resample\":1}", "LANCZOS", "BILINEAR (2) and BICUBIC (3)");
        refused("{\"image_processor_type\":\"ViTImageProcessor\",\"resample\":\"bicubic\"}", "resample");
        refused("{\"image_processor_type\":\"ViTImageProcessor\",\"do_pad\":true}", "\"do_pad\"", "ViTImageProcessor");
        refused("{\"image_processor_type\":\"ViTImageProcessor\",\"crop_pct\":0.9}", "\"crop_pct\"");
        refused("{\"image_processor_type\":\"ViTImageProcessor\",\"do_resize\":false}", "do_resize");
        refused("{\"image_processor_type\":\"BitImageProcessor\",\"do_center_crop\":false}", "do_center_crop");
        refused("{\"image_processor_type\":\"BitImageProcessor\",\"size\":{\"shortest_edge\":200}}", "crops 224x224", "pad");
        refused("{\"image_processor_type\":\"BitImageProcessor\",\"crop_size\":{\"height\":200,\"width\":220}}", "rectangle");
        refused("{\"image_processor_type\":\"ConvNextImageProcessor\",\"resample\":2,\"crop_pct\":1.5}", "crop_pct");
        refused("{\"image_processor_type\":\"ConvNextImageProcessor\",\"resample\":2,\"size\":{\"height\":224,\"width\":224}}",
                "shortest_edge");
        refused("{\"image_processor_type\":\"ViTImageProcessor\",\"size\":{\"shortest_edge\":224}}", "height");
        refused("{\"image_processor_type\":\"ViTImageProcessor\",\"size\":0}", "1..8192");
        refused("{\"image_processor_type\":\"ViTImageProcessor\",\"image_mean\":[0.5,0.5]}", "image_mean", "three numbers");
        refused("{\"image_processor_type\":\"ViTImageProcessor\",\"image_std\":[0.5,0,0.5]}", "std");
        refused("{\"image_processor_type\":\"ViTImageProcessor\",\"do_normalize\":\"yes\"}", "do_normalize", "true or false");
        refused("{\"image_processor_type\":\"ViTImageProcessor\",\"do_convert_rgb\":false}", "do_convert_rgb");
        refused("{\"image_processor_type\":\"ViTImageProcessor\",\"rescale_factor\":-1}", "rescale_factor");
        refused("[1, 2]", "not a JSON object");
        refused("{\"image_processor_type\": ", "not valid JSON");
    }

    @Test
    void labelsComeFromConfigJsonsId2label() throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"architectures\":[\"X\"],\"id2label\":{\"1\":\"dog\",\"0\":\" cat \",\"2\":\"kite, bird\"}}");
        LabelSet labels = HuggingFaceProcessor.labels(config);
        assertThat(labels.fullNames()).containsExactly("cat", "dog", "kite, bird");
        Files.writeString(config, "{\"id2label\":{\"0\":\"cat\",\"2\":\"dog\"}}");
        assertThatThrownBy(() -> HuggingFaceProcessor.labels(config)).hasMessageContaining("no text for class 1");
        Files.writeString(config, "{\"label2id\":{}}");
        assertThatThrownBy(() -> HuggingFaceProcessor.labels(config)).hasMessageContaining("id2label");
    }
}

package dev.argus.modelhub;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubLocationTest {
    private static final URI HUB = URI.create("https://huggingface.co");

    @Test
    void parsesTheResnetExampleWithDefaultRevision() {
        HubLocation l = HubLocation.parse("hf://Xenova/resnet-50/onnx/model.onnx");

        assertThat(l).isEqualTo(new HubLocation("Xenova", "resnet-50", "onnx/model.onnx", "main", null));
        assertThat(l.downloadUri(HUB))
                .hasToString("https://huggingface.co/Xenova/resnet-50/resolve/main/onnx/model.onnx");
        assertThat(l.cachePath(Path.of("/data/cache")))
                .isEqualTo(Path.of("/data/cache/Xenova/resnet-50/main/onnx/model.onnx"));
        assertThat(l).hasToString("hf://Xenova/resnet-50/onnx/model.onnx");
    }

    @Test
    void parsesRevisionAndPinAndNormalisesThePin() {
        String pin = "AB".repeat(32);
        HubLocation l = HubLocation.parse("HF://Xenova/resnet-50/onnx/model_quantized.onnx@v1.0#SHA256=" + pin);

        assertThat(l.revision()).isEqualTo("v1.0");
        assertThat(l.sha256()).isEqualTo(pin.toLowerCase());
        assertThat(l.display()).isEqualTo("hf://Xenova/resnet-50/onnx/model_quantized.onnx@v1.0");
        assertThat(l.toString()).endsWith("#sha256=" + pin.toLowerCase());
    }

    @Test
    void encodesSlashesInRevisionsAndOddCharactersInPaths() {
        HubLocation l = HubLocation.parse("hf://org/repo/sub dir/ünï.onnx@refs/pr/1");

        assertThat(l.downloadUri(URI.create("http://mirror.local:8080/hf/")))
                .hasToString("http://mirror.local:8080/hf/org/repo/resolve/refs%2Fpr%2F1/sub%20dir/%C3%BCn%C3%AF.onnx");
        assertThat(l.cachePath(Path.of("/c"))).isEqualTo(Path.of("/c/org/repo/refs%2Fpr%2F1/sub dir/ünï.onnx"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://huggingface.co/Xenova/resnet-50 | must start with hf://",
            "hf://Xenova/resnet-50                   | owner, a repository and a file path",
            "hf://Xenova/resnet-50/                  | owner, a repository and a file path",
            "hf://Xenova//onnx/model.onnx            | bad repository name",
            "hf://-bad/repo/model.onnx               | bad owner",
            "hf://a/b/../../etc/passwd               | '..' segment",
            "hf://a/b/onnx//model.onnx               | empty",
            "hf://a/b/model.onnx@                    | revision after '@' is empty",
            "hf://a/b/model.onnx@../x                | bad revision",
            "hf://a/b/model.onnx#sha256=abc          | 64 hex digits",
            "hf://a/b/model.onnx#md5=abc             | only supported suffix",
            "hf://a/b/model.onnx?download=true       | query strings",
            "hf://a/b/c:d.onnx                       | unsupported character",
    })
    void rejectsMalformedLocationsWithTheSyntax(String location, String problem) {
        assertThatThrownBy(() -> HubLocation.parse(location))
                .isInstanceOfSatisfying(ArgusException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining(problem)
                .hasMessageContaining("Expected " + HubLocation.SYNTAX)
                .hasMessageContaining(HubLocation.EXAMPLE);
    }

    @Test
    void recognisesHubLocationsByScheme() {
        assertThat(HubLocation.isHubLocation("hf://a/b/c")).isTrue();
        assertThat(HubLocation.isHubLocation("HF:a")).isTrue();
        assertThat(HubLocation.isHubLocation("/models/hf/model.onnx")).isFalse();
        assertThat(HubLocation.isHubLocation(null)).isFalse();
    }
}

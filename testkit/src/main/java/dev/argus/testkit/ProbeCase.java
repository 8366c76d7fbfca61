package dev.argus.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One designed image of the probe model and the class it must give. The probe catches colour order, layout,
 * normalisation, crop and EXIF mistakes end to end, which a random-weight ResNet-50 cannot.
 *
 * @param file          the image file
 * @param expectedClass the class index it must give
 * @param expectedLabel the full ImageNet name of that class
 * @param why           which mistake the case catches
 */
public record ProbeCase(Path file, int expectedClass, String expectedLabel, String why) {

    /** All cases from {@code probe.json} in the test-model directory. */
    public static List<ProbeCase> all() {
        Path json = TestModels.require("probe.json");
        try {
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            List<ProbeCase> cases = new ArrayList<>();
            for (JsonNode c : root.path("cases")) {
                cases.add(new ProbeCase(json.resolveSibling(c.path("file").asText()), c.path("expected_class").asInt(),
                        c.path("expected_label").asText(), c.path("why").asText()));
            }
            if (cases.isEmpty()) {
                throw new IllegalStateException(json + " lists no cases");
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] bytes() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return file.getFileName().toString();
    }

    @Override
    public String toString() {
        return name() + " -> " + expectedClass;
    }
}

package dev.argus.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.domain.LabelStyle;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job in {@code local[2]} on the probe model (designed weights: each probe image has a known class): a directory
 * of 200 images and 5 bad files, Parquet and JSON output, Parquet input, and the errors a user can make.
 */
class ClassifyJobIT {
    @TempDir
    static Path work;
    static Path images;

    @BeforeAll
    static void makeImages() {
        images = work.resolve("images");
        List<Path> probes = ImageFolders.probes(images);
        ImageFolders.drawn(images, 200 - probes.size(), 42);
        ImageFolders.bad(images);
    }

    static String[] probeJob(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--backend", "onnx", "--model", TestModels.probeOnnx().toString(), "-D", "argus.model.name=argus/probe"));
        return all.toArray(String[]::new);
    }

    @Test
    void writesOneRowPerFileTopKForImagesAndAnErrorRowForEachBadFile() {
        Path out = work.resolve("out-parquet");
        LocalSpark.Run run = LocalSpark.job(probeJob("--input", images.toString(), "--output", out.toString()));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("205 images classified").contains("5 could not be classified");
        List<Row> rows = LocalSpark.session().read().parquet(out.toString()).collectAsList();
        assertThat(rows).hasSize(205);
        List<Row> errors = rows.stream().filter(r -> !r.isNullAt(r.fieldIndex("error"))).toList();
        assertThat(errors).hasSize(5);
        assertThat(errors).extracting(r -> r.getString(0).replaceFirst(".*/images/", ""))
                .containsExactlyInAnyOrderElementsOf(ImageFolders.BAD_FILES);
        for (Row e : errors) {
            assertThat(e.isNullAt(e.fieldIndex("labels"))).isTrue();
            assertThat(e.isNullAt(e.fieldIndex("scores"))).isTrue();
            assertThat(e.isNullAt(e.fieldIndex("class_indices"))).isTrue();
            Row error = e.getStruct(e.fieldIndex("error"));
            assertThat(error.getString(0)).as(e.getString(0)).isIn("INVALID_INPUT", "INPUT_TOO_LARGE");
            assertThat(error.getString(1)).isNotBlank();
            assertThat(e.getString(e.fieldIndex("backend"))).isEqualTo("onnx");
        }
        List<Row> classified = rows.stream().filter(r -> r.isNullAt(r.fieldIndex("error"))).toList();
        assertThat(classified).hasSize(200).allSatisfy(r -> {
            assertThat(r.<String>getList(r.fieldIndex("labels"))).hasSize(5).doesNotContainNull();
            List<Double> scores = r.getList(r.fieldIndex("scores"));
            assertThat(scores).hasSize(5).isSortedAccordingTo((a, b) -> Double.compare(b, a));
            assertThat(r.<Integer>getList(r.fieldIndex("class_indices"))).hasSize(5).allMatch(i -> i >= 0 && i < 1000);
            assertThat(r.getString(r.fieldIndex("backend"))).isEqualTo("onnx");
            assertThat(r.getString(r.fieldIndex("model"))).isEqualTo("argus/probe");
        });
        assertProbes(classified, LabelStyle.CLOUDFLARE);
    }

    private static void assertProbes(List<Row> rows, LabelStyle style) {
        Map<String, Row> byName = rows.stream().filter(r -> r.getString(0).contains("/probe/"))
                .collect(Collectors.toMap(r -> r.getString(0).replaceFirst(".*/", ""), r -> r));
        assertThat(byName).hasSize(ProbeCase.all().size());
        for (ProbeCase c : ProbeCase.all()) {
            Row r = byName.get(c.name());
            assertThat(r.<String>getList(r.fieldIndex("labels")).get(0)).as(c.why()).isEqualTo(style.apply(c.expectedLabel()));
            assertThat(r.<Integer>getList(r.fieldIndex("class_indices")).get(0)).as(c.why()).isEqualTo(c.expectedClass());
        }
    }

    @Test
    void writesJsonLinesWithTheRequestedTopKAndLabelStyle() throws IOException {
        Path out = work.resolve("out-json");
        LocalSpark.Run run = LocalSpark.job(probeJob("--input", images.toString(), "--output", out.toString(),
                "--output-format", "json", "--top-k", "3", "--label-style", "imagenet", "--batch-size", "5", "--partitions", "3"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(out)) {
            for (Path part : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(part)) {
                    lines.add(json.readTree(line));
                }
            }
        }
        assertThat(lines).hasSize(205);
        assertThat(lines).allSatisfy(l -> assertThat(l.fieldNames()).toIterable()
                .containsExactly("path", "labels", "scores", "class_indices", "backend", "model", "error"));
        assertThat(lines.stream().filter(l -> !l.get("error").isNull())).hasSize(5)
                .allSatisfy(l -> assertThat(l.get("labels").isNull()).isTrue())
                .allSatisfy(l -> assertThat(l.get("error").get("code").asText()).isNotBlank());
        for (ProbeCase c : ProbeCase.all()) {
            JsonNode l = lines.stream().filter(n -> n.get("path").asText().endsWith("/probe/" + c.name())).findFirst().orElseThrow();
            assertThat(l.get("labels")).hasSize(3);
            assertThat(l.get("labels").get(0).asText()).as(c.why()).isEqualTo(c.expectedLabel());
            assertThat(l.get("class_indices").get(0).asInt()).isEqualTo(c.expectedClass());
            assertThat(l.get("error").isNull()).isTrue();
        }
    }

    @Test
    void readsAParquetTableWithABinaryColumnAndAnIdColumn() {
        List<Row> table = new ArrayList<>();
        long id = 1;
        for (ProbeCase c : ProbeCase.all()) {
            table.add(RowFactory.create(id++, c.name(), c.bytes()));
        }
        table.add(RowFactory.create(100L, "no bytes", null));
        table.add(RowFactory.create(101L, "text", dev.argus.testkit.TestImages.textFile()));
        StructType schema = new StructType().add("id", DataTypes.LongType).add("name", DataTypes.StringType)
                .add("image", DataTypes.BinaryType);
        Path in = work.resolve("table");
        LocalSpark.session().createDataFrame(table, schema).write().parquet(in.toString());
        Path out = work.resolve("out-from-table");

        LocalSpark.Run run = LocalSpark.job(probeJob("--format", "parquet", "--input", in.toString(), "--image-column", "image",
                "--path-column", "id", "--output", out.toString()));

        assertThat(run.exitCode()).as(run.err()).isZero();
        Map<String, Row> byId = LocalSpark.session().read().parquet(out.toString()).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r));
        assertThat(byId).hasSize(ProbeCase.all().size() + 2);
        long n = 1;
        for (ProbeCase c : ProbeCase.all()) {
            Row r = byId.get(Long.toString(n++));
            assertThat(r.<Integer>getList(r.fieldIndex("class_indices")).get(0)).as(c.why()).isEqualTo(c.expectedClass());
        }
        assertThat(byId.get("100").getStruct(byId.get("100").fieldIndex("error")).getString(1)).contains("null");
        assertThat(byId.get("101").getStruct(byId.get("101").fieldIndex("error")).getString(0)).isEqualTo("INVALID_INPUT");
    }

    @Test
    void refusesAnInputThatDoesNotExistOrMatchesNothing() {
        LocalSpark.Run missing = LocalSpark.job(probeJob("--input", work.resolve("nowhere").toString(), "--output",
                work.resolve("o1").toString()));
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("The input").contains("nowhere").contains("does not exist: check --input")
                .doesNotContain("\tat ");

        LocalSpark.Run nothing = LocalSpark.job(probeJob("--input", images.toString(), "--glob", "*.tiff", "--output",
                work.resolve("o2").toString()));
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("No files under").contains("--glob '*.tiff'");
    }

    @Test
    void refusesToOverwriteAnExistingOutputUnlessAsked() throws IOException {
        Path out = Files.createDirectories(work.resolve("exists"));
        Files.writeString(out.resolve("keep.txt"), "x");
        String[] args = probeJob("--input", images.resolve("probe").toString(), "--output", out.toString());

        LocalSpark.Run refused = LocalSpark.job(args);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("already exists: pass --overwrite to replace it");
        assertThat(out.resolve("keep.txt")).exists();

        List<String> again = new ArrayList<>(List.of(args));
        again.add("--overwrite");
        assertThat(LocalSpark.job(again.toArray(String[]::new)).exitCode()).isZero();
        assertThat(LocalSpark.session().read().parquet(out.toString()).count()).isEqualTo(ProbeCase.all().size());
    }

    @Test
    void namesTheColumnsWhenAParquetColumnIsMissingOrNotBinary() {
        Path in = work.resolve("table-wrong");
        StructType schema = new StructType().add("path", DataTypes.StringType).add("image", DataTypes.StringType);
        LocalSpark.session().createDataFrame(List.of(RowFactory.create("a", "b")), schema).write().parquet(in.toString());

        LocalSpark.Run missing = LocalSpark.job(probeJob("--format", "parquet", "--input", in.toString(), "--output",
                work.resolve("o3").toString()));
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--image-column content: no such column").contains("path string, image string");

        LocalSpark.Run notBinary = LocalSpark.job(probeJob("--format", "parquet", "--input", in.toString(), "--image-column",
                "image", "--output", work.resolve("o4").toString()));
        assertThat(notBinary.exitCode()).isEqualTo(2);
        assertThat(notBinary.err()).contains("--image-column image is string").contains("must be binary");
    }

    @Test
    void reportsAModelThatExecutorsCannotLoadAsAConfigurationError() {
        LocalSpark.Run run = LocalSpark.job("--input", images.resolve("probe").toString(), "--output", work.resolve("o5").toString(),
                "--model", work.resolve("missing.onnx").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        assertThat(run.err()).contains("an executor failed").contains("missing.onnx").contains("--files")
                .doesNotContain("\tat ");
    }
}

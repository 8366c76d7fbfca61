package dev.argus.spark;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the input as rows {@code (path string, content binary)} through Spark's own sources: {@code binaryFile} for a
 * directory or object-store prefix of image files, {@code parquet} for a table with a binary image column.
 */
final class InputReader {
    private static final System.Logger LOG = System.getLogger(InputReader.class.getName());
    /** The file names {@code argus classify} looks for in directories. */
    static final String DEFAULT_GLOB = "*.{jpg,jpeg,png,gif,bmp,webp,JPG,JPEG,PNG,GIF,BMP,WEBP}";

    private InputReader() {
    }

    static Dataset<Row> read(SparkSession spark, JobSpec spec) {
        return switch (spec.format()) {
            case BINARY_FILE -> files(spark, spec);
            case PARQUET -> table(spark, spec);
        };
    }

    private static Dataset<Row> files(SparkSession spark, JobSpec spec) {
        Dataset<Row> files = spark.read().format("binaryFile")
                .option("pathGlobFilter", spec.glob())
                .option("recursiveFileLookup", Boolean.toString(spec.recursive()))
                .load(spec.input());
        Optional<List<FileStatus>> listed = ListedFiles.of(files);
        if (listed.map(List::size).orElseGet(() -> files.inputFiles().length) == 0) {
            throw new JobUsageException("No files under " + spec.input() + " match --glob '" + spec.glob() + "'"
                    + (spec.recursive() ? "" : " (subdirectories not searched: --no-recursive)")
                    + ". Check --input, or widen --glob.");
        }
        Dataset<Row> rows = files.select(col("path"), col("content"));
        if (listed.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "Cannot see Spark's file listing: empty files get no row (Spark skips them)");
            return rows;
        }
        // Spark's scans skip empty files: give each its row, so that it is reported as an error like any bad file.
        List<Row> empty = listed.get().stream().filter(f -> f.getLen() == 0)
                .map(f -> RowFactory.create(f.getPath().toString(), new byte[0])).toList();
        return empty.isEmpty() ? rows : rows.union(spark.createDataFrame(empty, rows.schema()));
    }

    private static Dataset<Row> table(SparkSession spark, JobSpec spec) {
        Dataset<Row> table = spark.read().parquet(spec.input());
        StructType schema = table.schema();
        StructField image = field(schema, spec.imageColumn(), "--image-column", spec.input());
        if (!image.dataType().equals(DataTypes.BinaryType)) {
            throw new JobUsageException("--image-column " + spec.imageColumn() + " is " + image.dataType().simpleString()
                    + " in " + spec.input() + "; it must be binary (the encoded image file's bytes). Columns: " + columns(schema) + ".");
        }
        field(schema, spec.pathColumn(), "--path-column", spec.input());
        return table.select(col(spec.pathColumn()).cast(DataTypes.StringType).as("path"), col(spec.imageColumn()).as("content"));
    }

    private static StructField field(StructType schema, String name, String option, String input) {
        return Arrays.stream(schema.fields()).filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new JobUsageException(option + " " + name + ": no such column in " + input + ". Columns: "
                        + columns(schema) + "."));
    }

    private static String columns(StructType schema) {
        return Arrays.stream(schema.fields()).map(f -> f.name() + " " + f.dataType().simpleString()).collect(Collectors.joining(", "));
    }
}

package dev.argus.spark;

import dev.argus.domain.LabelStyle;
import java.util.Locale;
import java.util.Optional;

/**
 * What one run of the job reads, how it classifies and where it writes: the job's own options, validated. Argus's
 * configuration travels separately ({@link ExecutorSettings}).
 *
 * @param glob        for {@code binaryFile}: file names to read (Spark's {@code pathGlobFilter})
 * @param recursive   for {@code binaryFile}: descend into subdirectories (Spark's {@code recursiveFileLookup})
 * @param imageColumn for {@code parquet}: the binary column holding the encoded image
 * @param pathColumn  for {@code parquet}: the column written as {@code path} (any type, as a string)
 * @param batchSize   images per classifier call; empty = {@code argus.inference.max-batch}
 * @param partitions  repartition the input into this many partitions first; empty = keep Spark's split
 */
record JobSpec(String input, InputFormat format, String glob, boolean recursive, String imageColumn, String pathColumn,
               String output, OutputFormat outputFormat, boolean overwrite, int topK, LabelStyle labelStyle,
               Optional<Integer> batchSize, Optional<Integer> partitions) {

    /** Files in a directory or object-store prefix, or a table with a binary column. */
    enum InputFormat {
        BINARY_FILE("binaryFile"), PARQUET("parquet");

        final String sparkName;

        InputFormat(String sparkName) {
            this.sparkName = sparkName;
        }

        static InputFormat parse(String text) {
            for (InputFormat f : values()) {
                if (f.sparkName.equalsIgnoreCase(text.trim())) {
                    return f;
                }
            }
            throw new JobUsageException("--format must be binaryFile (a directory of image files) or parquet (a table "
                    + "with a binary column of image bytes), got '" + text + "'.");
        }
    }

    enum OutputFormat {
        PARQUET, JSON;

        static OutputFormat parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "parquet" -> PARQUET;
                case "json", "jsonl", "json-lines" -> JSON;
                default -> throw new JobUsageException("--output-format must be parquet or json (JSON lines), got '" + text + "'.");
            };
        }
    }
}

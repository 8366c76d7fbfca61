package dev.argus.spark;

import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/** The Spark pipeline: read, classify each partition in batches, write Parquet or JSON lines. */
final class BulkClassification {

    /** What the run did, counted by accumulators (a retried task may count twice). */
    record Summary(long images, long failed, double seconds) {
        double imagesPerSecond() {
            return images / Math.max(seconds, 1e-9);
        }
    }

    private BulkClassification() {
    }

    static Summary run(SparkSession spark, JobSpec spec, ExecutorSettings settings, int batchSize) {
        long t0 = System.nanoTime();
        Dataset<Row> input = InputReader.read(spark, spec);
        if (spec.partitions().isPresent()) {
            input = input.repartition(spec.partitions().get());
        }
        LongAccumulator images = spark.sparkContext().longAccumulator("argus images");
        LongAccumulator failed = spark.sparkContext().longAccumulator("argus images not classified");
        Dataset<Row> results = input.mapPartitions(
                new ClassifyPartition(settings, spec.topK(), spec.labelStyle(), batchSize, images, failed),
                Encoders.row(ResultRow.SCHEMA));
        DataFrameWriter<Row> writer = results.write().mode(spec.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists);
        switch (spec.outputFormat()) {
            case PARQUET -> writer.parquet(spec.output());
            case JSON -> writer.option("ignoreNullFields", "false").json(spec.output());
        }
        return new Summary(images.value(), failed.value(), (System.nanoTime() - t0) / 1e9);
    }
}

package dev.argus.spark;

import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.PartitioningAwareFileIndex;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The files Spark listed for a {@code binaryFile} read (after {@code pathGlobFilter}), with their sizes, taken from
 * the read's own file index: no second listing. Needed because Spark's file scans skip empty files, so an empty
 * {@code .png} would silently produce no row at all; the job adds a row for each so that it gets its error. Reads
 * Spark's classic (non-Connect) plan classes, which spark-submit jobs run on.
 */
final class ListedFiles {
    private ListedFiles() {
    }

    /** Every listed file, or empty when the plan is not a classic file scan (then empty files cannot be reported). */
    static Optional<List<FileStatus>> of(Dataset<Row> read) {
        if (!(read instanceof org.apache.spark.sql.classic.Dataset<Row> classic)) {
            return Optional.empty();
        }
        LogicalPlan plan = classic.queryExecution().analyzed();
        for (LogicalPlan leaf : CollectionConverters.asJava(plan.collectLeaves())) {
            if (leaf instanceof LogicalRelation r && r.relation() instanceof HadoopFsRelation fs
                    && fs.location() instanceof PartitioningAwareFileIndex index) {
                return Optional.of(CollectionConverters.asJava(index.allFiles()));
            }
        }
        return Optional.empty();
    }
}

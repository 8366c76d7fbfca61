package dev.argus.spark;

import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.LabelStyle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * The task body: rows {@code (path string, content binary)} in, {@link ResultRow#SCHEMA} rows out, {@code batchSize}
 * images per classifier call, streaming (a partition is never held in memory). The executor's shared classifier is
 * fetched on the first batch, so empty partitions load nothing. Logs rows done per partition.
 */
final class ClassifyPartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(ClassifyPartition.class.getName());
    /** A progress line at least this often, in rows, and at the end of each partition. */
    static final int PROGRESS_EVERY = 1000;

    private final ExecutorSettings settings;
    private final int topK;
    private final LabelStyle labelStyle;
    private final int batchSize;
    private final LongAccumulator images;
    private final LongAccumulator errors;

    ClassifyPartition(ExecutorSettings settings, int topK, LabelStyle labelStyle, int batchSize, LongAccumulator images,
                      LongAccumulator errors) {
        this.settings = settings;
        this.topK = topK;
        this.labelStyle = labelStyle;
        this.batchSize = batchSize;
        this.images = images;
        this.errors = errors;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        return new Rows(input);
    }

    /** Pulls {@code batchSize} input rows, classifies them, hands out their results, repeats. */
    private final class Rows implements Iterator<Row> {
        private final Iterator<Row> input;
        private final int partition = TaskContext.get() == null ? -1 : TaskContext.getPartitionId();
        private final long started = System.nanoTime();
        private BatchClassifier classifier;
        private Iterator<ResultRow> current = Collections.emptyIterator();
        private long done;
        private long failed;
        private long lastReport;
        private boolean reported;

        Rows(Iterator<Row> input) {
            this.input = input;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                if (!input.hasNext()) {
                    finish();
                    return false;
                }
                current = nextBatch().iterator();
            }
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next().toRow();
        }

        private List<ResultRow> nextBatch() {
            List<BatchClassifier.Image> batch = new ArrayList<>(batchSize);
            while (batch.size() < batchSize && input.hasNext()) {
                Row r = input.next();
                batch.add(new BatchClassifier.Image(r.isNullAt(0) ? null : r.getString(0), r.isNullAt(1) ? null : (byte[]) r.get(1)));
            }
            List<ResultRow> rows;
            try {
                rows = classifier().classify(batch);
            } catch (dev.argus.domain.ArgusException e) {
                throw TaskFailures.serializable(e); // the backend failed: Spark retries the task
            }
            long bad = rows.stream().filter(ResultRow::failed).count();
            done += rows.size();
            failed += bad;
            images.add(rows.size());
            errors.add(bad);
            if (done - lastReport >= PROGRESS_EVERY) {
                lastReport = done;
                log("rows done so far");
            }
            return rows;
        }

        private BatchClassifier classifier() {
            if (classifier == null) {
                ExecutorClassifiers.Loaded c = ExecutorClassifiers.get(settings);
                classifier = new BatchClassifier(c.useCase(), new ClassifyOptions(topK, labelStyle), c.backend(), c.model());
            }
            return classifier;
        }

        private void finish() {
            if (!reported && done > 0) {
                reported = true;
                log("rows done, partition finished");
            }
        }

        private void log(String what) {
            double seconds = (System.nanoTime() - started) / 1e9;
            LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT, "partition %d: %d %s (%d could not be classified), %.1f images/s",
                    partition, done, what, failed, done / Math.max(seconds, 1e-9)));
        }
    }
}

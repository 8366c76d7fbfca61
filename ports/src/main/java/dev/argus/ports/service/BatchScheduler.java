package dev.argus.ports.service;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Deadline;
import dev.argus.domain.ErrorCode;
import dev.argus.ports.in.InferenceStatistics;
import dev.argus.ports.model.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The engine stage of the local pipeline: a dynamic batcher in the manner of Triton's. Images (already preprocessed,
 * one row each) wait in one queue; each of {@code workers} engine workers takes the oldest waiting image and as many
 * more as are waiting, up to the largest batch, waiting at most {@code maxQueueDelay} for more to come, and runs them
 * as one engine call. Under load the batches grow by themselves; an image that arrives alone is not held back unless
 * a queue delay is set.
 *
 * <p>Admission: the queue holds at most {@code capacity} images; a request waits up to its timeout (and never past its
 * {@link Deadline}) for room, then fails with {@code OVERLOADED}. An image whose request gave up (its future cancelled)
 * or whose deadline passed before a worker took it never reaches the engine and gives its place back. One failing
 * engine call fails only the images in that call.
 */
public final class BatchScheduler implements AutoCloseable {

    /**
     * @param workers          engine calls at once (each on its own thread)
     * @param maxBatch         most images per engine call
     * @param maxQueueDelayNanos how long a worker holding fewer than {@code maxBatch} images waits for more
     * @param capacity         images admitted at once (waiting or in an engine call)
     */
    public record Settings(int workers, int maxBatch, long maxQueueDelayNanos, int capacity) {
        public Settings {
            if (workers < 1 || maxBatch < 1 || maxQueueDelayNanos < 0 || capacity < maxBatch) {
                throw ArgusException.configuration("The scheduler needs workers >= 1, max batch >= 1, a queue delay >= 0 "
                        + "and a capacity of at least one batch (workers " + workers + ", max batch " + maxBatch
                        + ", delay " + maxQueueDelayNanos + " ns, capacity " + capacity + ").");
            }
        }

        /** Room for every worker's batch in the engine and one more batch each forming behind it. */
        public static Settings of(int workers, int maxBatch, long maxQueueDelayNanos) {
            return new Settings(workers, maxBatch, maxQueueDelayNanos, 2 * workers * maxBatch);
        }
    }

    /**
     * One image's logits and what its engine call cost (queue times summed are in {@link #statistics()}).
     *
     * @param queuedAt  when the image was queued ({@link System#nanoTime()})
     * @param startedAt when its engine call began ({@link System#nanoTime()}; it lasted {@code inferenceNanos})
     */
    public record Result(float[] logits, int batchSize, long inferenceNanos, long queuedAt, long startedAt) {
    }

    private final class Item {
        final float[] input;
        final Deadline deadline;
        final long enqueued = System.nanoTime();
        final CompletableFuture<Result> done = new CompletableFuture<>();

        Item(float[] input, Deadline deadline) {
            this.input = input;
            this.deadline = deadline;
        }
    }

    private final UnaryOperator<FloatTensor> engine;
    private final long[] rowShape;
    private final Settings settings;
    private final LinkedBlockingDeque<Item> queue = new LinkedBlockingDeque<>();
    private final Semaphore room;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong[] batchSizes;
    private final AtomicLong success = new AtomicLong();
    private final AtomicLong failure = new AtomicLong();
    private final AtomicLong executions = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong queueNanos = new AtomicLong();
    private final AtomicLong inputNanos = new AtomicLong();
    private final AtomicLong inferNanos = new AtomicLong();
    private final AtomicLong outputNanos = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param engine   runs one batch ({@code [N, ...rowShape]} in, {@code [N, classes]} out)
     * @param rowShape one image's tensor shape, without the batch dimension
     */
    public BatchScheduler(String name, UnaryOperator<FloatTensor> engine, long[] rowShape, Settings settings) {
        this.engine = engine;
        this.rowShape = rowShape.clone();
        this.settings = settings;
        this.room = new Semaphore(settings.capacity(), true);
        this.batchSizes = new AtomicLong[settings.maxBatch() + 1];
        for (int i = 0; i < batchSizes.length; i++) {
            batchSizes[i] = new AtomicLong();
        }
        for (int i = 0; i < settings.workers(); i++) {
            Thread t = new Thread(this::work, name + "-engine-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /**
     * Queues images (one row each) for the engine, waiting up to {@code timeoutMillis} for room; each future completes
     * with that image's logits, or with the {@link ArgusException} of its engine call.
     *
     * @throws ArgusException {@code OVERLOADED} when there was no room in time; {@code MODEL_UNAVAILABLE} after close
     */
    public List<CompletableFuture<Result>> submit(List<float[]> rows, long timeoutMillis) {
        return submit(rows, Deadline.none(), timeoutMillis);
    }

    /**
     * As {@link #submit(List, long)}, for a request with a deadline: it waits for room no longer than the deadline
     * allows, and its images are dropped (failing with {@code TIMEOUT}, their places given back) if the deadline passes
     * before a worker takes them.
     */
    public List<CompletableFuture<Result>> submit(List<float[]> rows, Deadline deadline, long timeoutMillis) {
        if (rows.size() > settings.capacity()) {
            throw new IllegalArgumentException("submit at most " + settings.capacity() + " images at once, not " + rows.size());
        }
        checkOpen();
        deadline.check();
        long wait = Math.min(TimeUnit.MILLISECONDS.toNanos(timeoutMillis), deadline.remainingNanos());
        boolean admitted;
        try {
            admitted = room.tryAcquire(rows.size(), wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArgusException(ErrorCode.TIMEOUT, "Interrupted while waiting for room in the inference queue.");
        }
        if (!admitted) {
            failure.addAndGet(rows.size());
            if (deadline.remainingNanos() < TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
                throw deadline.expired(); // the request's time ran out first, not the queue's patience
            }
            throw new ArgusException(ErrorCode.OVERLOADED, "The inference queue is full (" + settings.capacity()
                    + " images; waited " + timeoutMillis + " ms); try again later.");
        }
        List<CompletableFuture<Result>> out = new ArrayList<>(rows.size());
        List<Item> items = new ArrayList<>(rows.size());
        for (float[] r : rows) {
            Item it = new Item(r, deadline);
            items.add(it);
            out.add(it.done);
        }
        queue.addAll(items);
        if (closed) { // closed meanwhile: what no worker took fails here (a worker fails what it took)
            List<Item> mine = new ArrayList<>();
            for (Item it : items) {
                if (queue.remove(it)) {
                    mine.add(it);
                }
            }
            fail(mine, new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The classifier has been closed."));
        }
        return out;
    }

    /** How many engine calls ran at each batch size so far (index = batch size). */
    public long[] batchSizeCounts() {
        long[] c = new long[batchSizes.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = batchSizes[i].get();
        }
        return c;
    }

    /** What this stage did since start, as Triton counts it. */
    public InferenceStatistics statistics() {
        return new InferenceStatistics(success.get(), failure.get(), executions.get(), queueNanos.get(), inputNanos.get(),
                inferNanos.get(), outputNanos.get(), batchSizeCounts(), queue.size());
    }

    /** Images dropped before the engine because their request had given up or run out of time. */
    public long droppedCount() {
        return dropped.get();
    }

    /** Images waiting for a worker now. */
    public int queueDepth() {
        return queue.size();
    }

    private void work() {
        List<Item> batch = new ArrayList<>(settings.maxBatch());
        float[][] inputs = new float[1][]; // this worker's full-batch tensor, reused
        while (!closed) {
            try {
                Item first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                take(first, batch);
                long until = first.enqueued + settings.maxQueueDelayNanos();
                while (batch.size() < settings.maxBatch()) {
                    Item next = queue.poll();
                    if (next == null) {
                        long wait = until - System.nanoTime();
                        if (wait <= 0 || (next = queue.poll(wait, TimeUnit.NANOSECONDS)) == null) {
                            break;
                        }
                    }
                    take(next, batch);
                }
                if (!batch.isEmpty()) {
                    run(batch, inputs);
                }
            } catch (InterruptedException e) {
                if (closed) {
                    fail(batch, new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The classifier has been closed."));
                    return;
                }
            } catch (RuntimeException | Error e) {
                fail(batch, e); // never lose a worker, never leave a caller waiting
            }
        }
    }

    /** Adds the item unless its caller gave up or its deadline passed (then it fails and its place goes back). */
    private void take(Item it, List<Item> batch) {
        if (it.done.isDone() || it.deadline.passed()) {
            failure.incrementAndGet();
            room.release();
            dropped.incrementAndGet();
            it.done.completeExceptionally(it.deadline.expired());
        } else {
            batch.add(it);
        }
    }

    /**
     * One engine call. A single image goes to the engine as it is; a full batch is copied into this worker's tensor,
     * allocated once (an image is 588 KiB: a new batch tensor per call is a humongous allocation each time, and under
     * load the batches are full); a part batch into a new one. The engine copies its input before it returns, so the
     * arrays are free again when it has.
     */
    private void run(List<Item> batch, float[][] inputs) {
        int n = batch.size();
        long t0 = System.nanoTime();
        int per = batch.get(0).input.length;
        float[] input;
        if (n == 1) {
            input = batch.get(0).input;
        } else {
            if (n == settings.maxBatch()) {
                if (inputs[0] == null || inputs[0].length != n * per) {
                    inputs[0] = new float[n * per];
                }
                input = inputs[0];
            } else {
                input = new float[n * per];
            }
            for (int i = 0; i < n; i++) {
                System.arraycopy(batch.get(i).input, 0, input, i * per, per);
            }
        }
        long[] shape = new long[rowShape.length + 1];
        shape[0] = n;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        long t1 = System.nanoTime();
        FloatTensor out;
        try {
            out = engine.apply(new FloatTensor(shape, input));
            if (out.batchSize() != n) {
                throw ArgusException.inferenceFailed("the engine returned " + out.batchSize() + " results for " + n + " images", null);
            }
        } catch (RuntimeException | Error e) {
            fail(batch, e);
            return;
        }
        long t2 = System.nanoTime();
        int classes = out.rowLength();
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(out.data(), i * classes, (i + 1) * classes);
        }
        long t3 = System.nanoTime();
        executions.incrementAndGet();
        batchSizes[n].incrementAndGet();
        inputNanos.addAndGet((t1 - t0) * n);
        inferNanos.addAndGet((t2 - t1) * n);
        outputNanos.addAndGet((t3 - t2) * n);
        for (int i = 0; i < n; i++) {
            Item it = batch.get(i);
            queueNanos.addAndGet(t0 - it.enqueued);
            room.release();
            success.incrementAndGet(); // counted before the caller can see it done
            if (!it.done.complete(new Result(rows[i], n, t2 - t1, it.enqueued, t1))) {
                success.decrementAndGet(); // its caller gave up while it ran
                failure.incrementAndGet();
            }
        }
        batch.clear();
    }

    /** Fails admitted items (taken by a worker or drained from the queue) and gives their places back. */
    private void fail(List<Item> items, Throwable e) {
        Throwable cause = e instanceof ArgusException ? e : ArgusException.inferenceFailed(String.valueOf(e.getMessage()), e);
        for (Item it : items) {
            failure.incrementAndGet();
            room.release();
            it.done.completeExceptionally(cause);
        }
        items.clear();
    }

    private void checkOpen() {
        if (closed) {
            throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The classifier has been closed.");
        }
    }

    /** Stops the workers; images still waiting fail with {@code MODEL_UNAVAILABLE}. Waits for running engine calls. */
    @Override
    public void close() {
        closed = true; // workers see it within their 100 ms poll; a running engine call ends normally
        for (Thread t : workers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Item> left = new ArrayList<>();
        queue.drainTo(left);
        fail(left, new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The classifier has been closed."));
    }
}

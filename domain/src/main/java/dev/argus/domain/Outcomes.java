package dev.argus.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Per-item outcomes, the currency of every batch: each item is prepared on its own (read, parsed, checked, decoded),
 * one that cannot be fails alone with its own error, the rest are classified together, and every outcome lands in its
 * item's place. The one copy of "set the rejected aside, classify the rest, merge back" that the REST and gRPC
 * adapters, the CLI, Spark and the local pipeline use.
 */
public final class Outcomes {
    private Outcomes() {
    }

    /** Prepares one item for the batch; throws {@link ArgusException} to reject this item alone. */
    @FunctionalInterface
    public interface Prepare<T, U> {
        U apply(T item);
    }

    /**
     * @param items    the batch, in order
     * @param prepare  what each item becomes (bytes, an image input, a tensor row), or its rejection
     * @param classify classifies the prepared items, all at once, one outcome each in order; not called when every
     *                 item was rejected. What it throws fails the whole batch
     * @return one outcome per item, in the items' order
     */
    public static <T, U> List<ClassificationOutcome> classify(List<T> items, Prepare<? super T, ? extends U> prepare,
                                                            Function<List<U>, List<ClassificationOutcome>> classify) {
        ClassificationOutcome[] out = new ClassificationOutcome[items.size()];
        List<U> prepared = new ArrayList<>(items.size());
        int[] slot = new int[items.size()];
        for (int i = 0; i < items.size(); i++) {
            try {
                U u = prepare.apply(items.get(i));
                slot[i] = prepared.size();
                prepared.add(u);
            } catch (ArgusException e) {
                out[i] = ClassificationOutcome.Failure.of(e);
                slot[i] = -1;
            }
        }
        if (!prepared.isEmpty()) {
            List<ClassificationOutcome> done = classify.apply(prepared);
            if (done.size() != prepared.size()) {
                throw new IllegalStateException("classified " + prepared.size() + " items, got " + done.size() + " outcomes");
            }
            for (int i = 0; i < out.length; i++) {
                if (slot[i] >= 0) {
                    out[i] = done.get(slot[i]);
                }
            }
        }
        return Arrays.asList(out);
    }
}

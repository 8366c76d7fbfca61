package dev.argus.tensorrt;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The last few errors TensorRT logged, numbered, so that a failed call quotes the errors logged while it ran (since its
 * {@link #mark()}), not a stale one from an earlier call. TensorRT logs through one process-wide logger; errors logged
 * by concurrent calls in the same window are quoted too, which is rare and harmless.
 */
final class RecentErrors {
    static final int KEPT = 16;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long next;

    private record Entry(long seq, String message) {
    }

    synchronized void add(String message) {
        entries.addLast(new Entry(next++, message));
        while (entries.size() > KEPT) {
            entries.removeFirst();
        }
    }

    /** A point in the log: {@link #since} quotes what is added after it. */
    synchronized long mark() {
        return next;
    }

    /**
     * The errors added since {@code mark}, oldest first, joined with "; ", or a note that TensorRT logged none. Only the
     * last {@value #KEPT} are kept; the text then says how many earlier ones are missing (the log has them all).
     */
    synchronized String since(long mark) {
        List<String> messages = entries.stream().filter(e -> e.seq() >= mark).map(Entry::message).toList();
        if (messages.isEmpty()) {
            return "TensorRT logged no error";
        }
        long dropped = entries.getFirst().seq() - mark;
        String joined = messages.stream().collect(Collectors.joining("; "));
        return dropped > 0 ? "(" + dropped + " earlier errors not kept, see the log) " + joined : joined;
    }
}

package dev.argus.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gRPC server's calls, counted as grpc-java-prometheus and go-grpc-prometheus count them, in plain counters (no
 * metrics library here; the app renders them): calls started, calls handled by status code, messages received and
 * sent, calls in flight, and a histogram of handling time, per method. Every service's calls are counted (health and
 * reflection too) once they reach a method: a method that is not served never does. Thread-safe; read with
 * {@link #snapshot()}.
 */
public final class GrpcServerMetrics {
    /** Upper bounds of the handling-time buckets, in seconds: the same as REST's request-duration histogram. */
    private static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    /**
     * One method's calls since start.
     *
     * @param service        the full service name ({@code argus.v1.Classifier})
     * @param method         the method's name within it ({@code Classify})
     * @param type           {@code unary}, {@code client_stream}, {@code server_stream} or {@code bidi_stream}
     * @param started        calls started
     * @param handled        calls finished, by status code name ({@code OK}, {@code RESOURCE_EXHAUSTED}, ...); a call
     *                       the client cancelled counts as {@code CANCELLED}
     * @param received       request messages received
     * @param sent           response messages sent
     * @param inFlight       calls started and not yet finished
     * @param latencyBuckets finished calls per handling-time bucket (not cumulative), the last one past the largest
     *                       of {@link #latencyBounds()}
     * @param latencySeconds handling time of the finished calls, summed
     */
    public record MethodCalls(String service, String method, String type, long started, Map<String, Long> handled,
                              long received, long sent, long inFlight, List<Long> latencyBuckets, double latencySeconds) {
        public MethodCalls {
            handled = Map.copyOf(handled);
            latencyBuckets = List.copyOf(latencyBuckets);
        }
    }

    private final ConcurrentMap<String, Counts> byMethod = new ConcurrentHashMap<>();

    /** The handling-time buckets' upper bounds in seconds, ascending (a last bucket, +Inf, holds the rest). */
    public static List<Double> latencyBounds() {
        return Arrays.stream(BOUNDS).boxed().toList();
    }

    /** Every method called so far, by service and method name. */
    public List<MethodCalls> snapshot() {
        List<MethodCalls> all = new ArrayList<>();
        for (Counts c : byMethod.values()) {
            all.add(c.snapshot());
        }
        all.sort(Comparator.comparing(MethodCalls::service).thenComparing(MethodCalls::method));
        return all;
    }

    /** The counts of {@code method}, created at its first call. */
    Counts of(MethodDescriptor<?, ?> method) {
        return byMethod.computeIfAbsent(method.getFullMethodName(), n -> new Counts(method));
    }

    /** One method's counters. */
    static final class Counts {
        private final String service;
        private final String method;
        private final String type;
        private final LongAdder started = new LongAdder();
        private final Map<Status.Code, LongAdder> handled = new EnumMap<>(Status.Code.class);
        private final LongAdder received = new LongAdder();
        private final LongAdder sent = new LongAdder();
        private final AtomicLong inFlight = new AtomicLong();
        private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
        private final DoubleAdder seconds = new DoubleAdder();

        private Counts(MethodDescriptor<?, ?> descriptor) {
            String full = descriptor.getFullMethodName();
            this.service = descriptor.getServiceName() == null ? "" : descriptor.getServiceName();
            this.method = full.substring(full.lastIndexOf('/') + 1);
            this.type = type(descriptor.getType());
            for (Status.Code code : Status.Code.values()) {
                handled.put(code, new LongAdder());
            }
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        private static String type(MethodDescriptor.MethodType t) {
            return switch (t) {
                case UNARY -> "unary";
                case CLIENT_STREAMING -> "client_stream";
                case SERVER_STREAMING -> "server_stream";
                case BIDI_STREAMING -> "bidi_stream";
                case UNKNOWN -> t.name().toLowerCase(Locale.ROOT);
            };
        }

        void started() {
            started.increment();
            inFlight.incrementAndGet();
        }

        void received() {
            received.increment();
        }

        void sent() {
            sent.increment();
        }

        /** A call that {@link #started()} finished with {@code code} after {@code nanos}. */
        void handled(Status.Code code, long nanos) {
            double s = nanos / 1e9;
            int i = 0;
            while (i < BOUNDS.length && s > BOUNDS[i]) {
                i++;
            }
            buckets[i].increment();
            seconds.add(s);
            handled.get(code).increment();
            inFlight.decrementAndGet();
        }

        private MethodCalls snapshot() {
            Map<String, Long> byCode = new LinkedHashMap<>();
            handled.forEach((code, n) -> {
                long v = n.sum();
                if (v > 0) {
                    byCode.put(code.name(), v);
                }
            });
            List<Long> counts = new ArrayList<>(buckets.length);
            for (LongAdder b : buckets) {
                counts.add(b.sum());
            }
            return new MethodCalls(service, method, type, started.sum(), byCode, received.sum(), sent.sum(),
                    inFlight.get(), counts, seconds.sum());
        }
    }
}

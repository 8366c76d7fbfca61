package dev.argus.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.argus.grpc.GrpcConfig;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyStreamRequest;
import dev.argus.grpc.v1.ClassifyStreamResponse;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.TestModels;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Prints throughput and latency of unary Classify vs ClassifyStream (one request in flight per stream) at 1 and 16
 * concurrent callers, on the probe model and on the test ResNet-50. A short run for orientation; nothing is asserted
 * about timing.
 */
class GrpcThroughputIT {
    private static final long RUN_NANOS = Long.getLong("argus.grpc.bench.seconds", 5) * 1_000_000_000L;

    @Test
    void probeModel() throws Exception {
        measure(TestModels.probeOnnx(), "probe");
    }

    @Test
    void resnet50() throws Exception {
        Path model = TestModels.directory().resolve("resnet50.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(model), () -> {
            System.out.println("SKIPPED resnet50 throughput: " + model + " missing (bash .ci/setup-test-data)");
            return "no resnet50.onnx";
        });
        measure(model, "resnet50");
    }

    private static void measure(Path model, String name) throws Exception {
        byte[] image = ProbeCase.all().get(0).bytes();
        ClassifyRequest request = ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(image)).build();
        try (ProbeServer server = ProbeServer.on(model, "argus/" + name, GrpcConfig.defaults())) {
            ManagedChannel channel = Grpc.newChannelBuilder(server.target(), InsecureChannelCredentials.create()).build();
            try {
                for (int i = 0; i < 3; i++) {
                    ClassifierGrpc.newBlockingStub(channel).classify(request);
                }
                for (int callers : new int[] {1, 16}) {
                    report(name, "unary", callers, run(callers, () -> unaryCaller(channel, request)));
                    report(name, "streaming", callers, run(callers, () -> streamCaller(channel, request)));
                }
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private interface Caller {
        List<Long> call() throws Exception;
    }

    private static List<Long> run(int callers, Caller caller) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                futures.add(pool.submit(caller::call));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get(RUN_NANOS / 1_000_000_000L + 120, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Long> unaryCaller(ManagedChannel channel, ClassifyRequest request) {
        List<Long> latencies = new ArrayList<>();
        ClassifierGrpc.ClassifierBlockingStub stub = ClassifierGrpc.newBlockingStub(channel);
        long end = System.nanoTime() + RUN_NANOS;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            stub.withDeadlineAfter(60, TimeUnit.SECONDS).classify(request);
            latencies.add(System.nanoTime() - t0);
        }
        return latencies;
    }

    private static List<Long> streamCaller(ManagedChannel channel, ClassifyRequest request) throws InterruptedException {
        List<Long> latencies = new ArrayList<>();
        BlockingQueue<Object> answers = new ArrayBlockingQueue<>(4);
        StreamObserver<ClassifyStreamRequest> out = ClassifierGrpc.newStub(channel).classifyStream(new StreamObserver<>() {
            @Override
            public void onNext(ClassifyStreamResponse value) {
                answers.add(value);
            }

            @Override
            public void onError(Throwable t) {
                answers.add(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        AtomicInteger id = new AtomicInteger();
        long end = System.nanoTime() + RUN_NANOS;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            out.onNext(ClassifyStreamRequest.newBuilder().setId(Integer.toString(id.incrementAndGet())).setRequest(request).build());
            Object answer = answers.poll(60, TimeUnit.SECONDS);
            assertThat(answer).isInstanceOf(ClassifyStreamResponse.class);
            assertThat(((ClassifyStreamResponse) answer).hasResult()).isTrue();
            latencies.add(System.nanoTime() - t0);
        }
        out.onCompleted();
        return latencies;
    }

    private static void report(String model, String mode, int callers, List<Long> latencies) {
        Collections.sort(latencies);
        double seconds = RUN_NANOS / 1e9;
        System.out.printf("gRPC throughput %-8s %-9s callers=%2d: %7.1f images/s  p50 %7.2f ms  p99 %7.2f ms  (n=%d)%n",
                model, mode, callers, latencies.size() / seconds, percentile(latencies, 0.50), percentile(latencies, 0.99),
                latencies.size());
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
        return sorted.get(Math.max(0, i)) / 1e6;
    }
}

package dev.argus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyStreamRequest;
import dev.argus.grpc.v1.ClassifyStreamResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client that sends many requests at once but reads one response at a time, slowly: the server must not classify
 * ahead of what the client has read (the in-process transport is "ready" only while the client has asked for more).
 */
class ClassifyStreamBackPressureTest {
    private static final int REQUESTS = 40;

    @Test
    void aSlowReaderKeepsTheServerFromClassifyingAhead() throws Exception {
        FakeUseCase fake = new FakeUseCase();
        ScheduledExecutorService slowReader = Executors.newSingleThreadScheduledExecutor();
        try (InProcess grpc = new InProcess(fake)) {
            AtomicInteger received = new AtomicInteger();
            AtomicInteger maxAhead = new AtomicInteger();
            List<String> ids = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            io.grpc.stub.StreamObserver<ClassifyStreamRequest> requests = ClassifierGrpc.newStub(grpc.channel).classifyStream(new ClientResponseObserver<ClassifyStreamRequest, ClassifyStreamResponse>() {
                private ClientCallStreamObserver<ClassifyStreamRequest> call;

                @Override
                public void beforeStart(ClientCallStreamObserver<ClassifyStreamRequest> requestStream) {
                    call = requestStream;
                    requestStream.disableAutoRequestWithInitial(1);
                }

                @Override
                public void onNext(ClassifyStreamResponse value) {
                    ids.add(value.getId());
                    int got = received.incrementAndGet();
                    maxAhead.accumulateAndGet(fake.calls.get() - got, Math::max);
                    slowReader.schedule(() -> call.request(1), 20, TimeUnit.MILLISECONDS);
                }

                @Override
                public void onError(Throwable t) {
                    done.countDown();
                }

                @Override
                public void onCompleted() {
                    done.countDown();
                }
            });
            for (int i = 0; i < REQUESTS; i++) {
                requests.onNext(ClassifyStreamRequest.newBuilder().setId("img-" + i)
                        .setRequest(ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(new byte[100 + i]))).build());
            }
            requests.onCompleted();
            // While the client reads slowly, the server stays at most a couple of images ahead.
            Thread.sleep(300);
            int aheadMidway = fake.calls.get() - received.get();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            System.out.printf("stream back-pressure: %d requests, most classified-but-unread at any time: %d (midway %d)%n",
                    REQUESTS, maxAhead.get(), aheadMidway);
            assertThat(ids).hasSize(REQUESTS);
            assertThat(ids.get(REQUESTS - 1)).isEqualTo("img-" + (REQUESTS - 1));
            assertThat(maxAhead.get()).isLessThanOrEqualTo(2);
            assertThat(aheadMidway).isLessThanOrEqualTo(2);
        } finally {
            slowReader.shutdownNow();
        }
    }
}

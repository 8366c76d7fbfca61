package dev.argus.grpc;

import static dev.argus.grpc.GrpcClassificationServiceTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyResponse;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Server lifecycle around the service: health, auth, reflection, deadlines, bounded concurrency, shutdown. */
class GrpcServerTest {
    private final FakeUseCase fake = new FakeUseCase();

    private static ClassifyRequest image() {
        return ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(new byte[42])).build();
    }

    private static ServingStatus health(InProcess grpc, String service) {
        return HealthGrpc.newBlockingStub(grpc.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    @Test
    void healthIsNotServingUntilTheAppSaysSo() throws Exception {
        try (InProcess grpc = new InProcess(fake)) {
            assertThat(health(grpc, "")).isEqualTo(ServingStatus.NOT_SERVING);
            assertThat(health(grpc, "argus.v1.Classifier")).isEqualTo(ServingStatus.NOT_SERVING);
            grpc.server.setServing(true);
            assertThat(health(grpc, "")).isEqualTo(ServingStatus.SERVING);
            assertThat(health(grpc, "argus.v1.Classifier")).isEqualTo(ServingStatus.SERVING);
            grpc.server.setServing(false);
            assertThat(health(grpc, "argus.v1.Classifier")).isEqualTo(ServingStatus.NOT_SERVING);
        }
    }

    @Test
    void withoutATokenConfiguredCallsNeedNoCredentials() throws Exception {
        try (InProcess grpc = new InProcess(fake)) {
            assertThat(ClassifierGrpc.newBlockingStub(grpc.channel).classify(image()).getClassificationsCount()).isEqualTo(5);
        }
    }

    @Test
    void withATokenConfiguredClassifierCallsNeedIt() throws Exception {
        try (InProcess grpc = new InProcess(GrpcConfig.defaults().withAuthToken("s3cret-token"), fake)) {
            ClassifierGrpc.ClassifierBlockingStub anonymous = ClassifierGrpc.newBlockingStub(grpc.channel);
            StatusRuntimeException none = failure(() -> anonymous.classify(image()));
            assertThat(none.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(none.getStatus().getDescription()).contains("authorization: Bearer");

            StatusRuntimeException wrong = failure(() -> anonymous.withCallCredentials(new BearerTokenCredentials("s3cret-tokeN"))
                    .classify(image()));
            assertThat(wrong.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(wrong.getStatus().getDescription()).doesNotContain("s3cret");

            Metadata basic = new Metadata();
            basic.put(BearerTokenInterceptor.AUTHORIZATION, "Basic s3cret-token");
            assertThat(failure(() -> anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(basic)).classify(image()))
                    .getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(fake.calls).hasValue(0);

            ClassifyResponse ok = anonymous.withCallCredentials(new BearerTokenCredentials("s3cret-token")).classify(image());
            assertThat(ok.getClassifications(0).getLabel()).isEqualTo("BYTES 42");

            // Health and reflection stay open.
            assertThat(health(grpc, "")).isEqualTo(ServingStatus.NOT_SERVING);
            assertThat(ReflectionClient.ask(grpc.channel, ServerReflectionRequest.newBuilder().setListServices("").build())
                    .getListServicesResponse().getServiceCount()).isGreaterThan(0);
        }
    }

    @Test
    void configToStringNeverShowsTheToken() {
        assertThat(GrpcConfig.defaults().withAuthToken("s3cret-token").toString()).doesNotContain("s3cret").contains("****");
    }

    @Test
    void reflectionListsTheServiceAndDescribesItsMethods() throws Exception {
        try (InProcess grpc = new InProcess(fake)) {
            ServerReflectionResponse list = ReflectionClient.ask(grpc.channel,
                    ServerReflectionRequest.newBuilder().setListServices("").build());
            assertThat(list.getListServicesResponse().getServiceList()).extracting(ServiceResponse::getName)
                    .contains("argus.v1.Classifier", "argus.v1.ModelRepository", "grpc.health.v1.Health");

            ServerReflectionResponse file = ReflectionClient.ask(grpc.channel,
                    ServerReflectionRequest.newBuilder().setFileContainingSymbol("argus.v1.Classifier").build());
            List<String> methods = new ArrayList<>();
            for (ByteString bytes : file.getFileDescriptorResponse().getFileDescriptorProtoList()) {
                FileDescriptorProto fd = FileDescriptorProto.parseFrom(bytes);
                if (fd.getPackage().equals("argus.v1")) {
                    for (ServiceDescriptorProto s : fd.getServiceList()) {
                        assertThat(s.getName()).isIn("Classifier", "ModelRepository");
                        s.getMethodList().stream().map(m -> s.getName() + "." + m.getName()).forEach(methods::add);
                    }
                    assertThat(fd.getMessageTypeList()).extracting(m -> m.getName()).contains("ClassifyRequest", "ByteValues");
                }
            }
            assertThat(methods).containsExactly("Classifier.Classify", "Classifier.ClassifyBatch", "Classifier.ClassifyStream",
                    "Classifier.GetModel", "ModelRepository.Index", "ModelRepository.Load", "ModelRepository.Unload");
        }
    }

    @Test
    void theCallsDeadlineAndCancellationTravelToThePipeline() throws Exception {
        try (InProcess grpc = new InProcess(GrpcConfig.defaults(), fake)) {
            ClassifierGrpc.newBlockingStub(grpc.channel).withDeadlineAfter(20, TimeUnit.SECONDS).classify(image());
            dev.argus.domain.Deadline d = fake.lastOptions.deadline();
            assertThat(d.bounded()).isTrue();
            assertThat(d.remainingNanos()).as("what the client's deadline leaves, not more")
                    .isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(20));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!d.passed() && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertThat(d.passed()).as("the call has ended: its context is cancelled").isTrue();
            ClassifierGrpc.newBlockingStub(grpc.channel).classify(image());
            assertThat(fake.lastOptions.deadline().bounded()).as("no client deadline, none invented").isFalse();
        }
    }

    @Test
    void aCallPastItsDeadlineDoesNotReachTheEngine() throws Exception {
        StallingInterceptor stall = new StallingInterceptor();
        try (InProcess grpc = new InProcess(GrpcConfig.defaults(), fake, stall)) {
            StatusRuntimeException e = failure(() -> ClassifierGrpc.newBlockingStub(grpc.channel)
                    .withDeadlineAfter(200, TimeUnit.MILLISECONDS).classify(image()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(stall.handled.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(fake.calls).as("engine calls").hasValue(0);
        }
    }

    @Test
    void aCancelledCallDoesNotReachTheEngine() throws Exception {
        StallingInterceptor stall = new StallingInterceptor();
        try (InProcess grpc = new InProcess(GrpcConfig.defaults(), fake, stall)) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Context.CancellableContext ctx = Context.current().withCancellation();
            ctx.run(() -> ClassifierGrpc.newStub(grpc.channel).classify(image(), observer(outcome)));
            assertThat(stall.arrived.await(10, TimeUnit.SECONDS)).isTrue();
            ctx.cancel(null);
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(StatusRuntimeException.class);
            assertThat(stall.handled.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(fake.calls).as("engine calls").hasValue(0);
        }
    }

    @Test
    void callsBeyondTheConcurrencyLimitAreRefusedAtOnce() throws Exception {
        fake.gate = new CountDownLatch(1);
        try (InProcess grpc = new InProcess(GrpcConfig.defaults().withMaxConcurrentCalls(2), fake)) {
            CompletableFuture<Throwable> first = new CompletableFuture<>();
            CompletableFuture<Throwable> second = new CompletableFuture<>();
            ClassifierGrpc.newStub(grpc.channel).classify(image(), observer(first));
            ClassifierGrpc.newStub(grpc.channel).classify(image(), observer(second));
            long until = System.nanoTime() + 10_000_000_000L;
            while (fake.entered.get() < 2 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(fake.entered).hasValue(2);

            long start = System.nanoTime();
            StatusRuntimeException e = failure(() -> ClassifierGrpc.newBlockingStub(grpc.channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS).classify(image()));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(Statuses.reason(e)).isEqualTo("argus.dev/OVERLOADED");
            assertThat(e.getStatus().getDescription()).contains("max-concurrent-calls");
            assertThat(e.getTrailers().get(io.grpc.Metadata.Key.of("grpc-retry-pushback-ms", io.grpc.Metadata.ASCII_STRING_MARSHALLER)))
                    .as("pushback for gRPC's retry policy").isEqualTo("1000");
            com.google.rpc.Status details = io.grpc.protobuf.StatusProto.fromThrowable(e);
            com.google.protobuf.Any retry = details.getDetailsList().stream().filter(d -> d.is(com.google.rpc.RetryInfo.class))
                    .findFirst().orElseThrow(() -> new AssertionError("no RetryInfo in " + details));
            assertThat(retry.unpack(com.google.rpc.RetryInfo.class).getRetryDelay().getSeconds()).as("when to come back").isEqualTo(1);
            assertThat(fake.calls).hasValue(2);

            fake.gate.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(second.get(10, TimeUnit.SECONDS)).isNull();
            // The slots are free again.
            assertThat(ClassifierGrpc.newBlockingStub(grpc.channel).classify(image()).getClassificationsCount()).isEqualTo(5);
        }
    }

    @Test
    void shutdownLetsInFlightCallsFinishWithinTheGracePeriod() throws Exception {
        fake.gate = new CountDownLatch(1);
        InProcess grpc = new InProcess(GrpcConfig.defaults().withShutdownGrace(Duration.ofSeconds(10)), fake);
        CompletableFuture<Throwable> inFlight = new CompletableFuture<>();
        ClassifierGrpc.newStub(grpc.channel).classify(image(), observer(inFlight));
        while (fake.entered.get() < 1) {
            Thread.sleep(5);
        }
        Thread closer = new Thread(grpc.server::close);
        closer.start();
        Thread.sleep(200);
        assertThat(closer.isAlive()).as("close waits for the call in flight").isTrue();
        fake.gate.countDown();
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(inFlight.get(10, TimeUnit.SECONDS)).as("the in-flight call completed normally").isNull();
        grpc.server.close();
        grpc.close();
    }

    @Test
    void shutdownCancelsCallsThatOutliveTheGracePeriod() throws Exception {
        fake.gate = new CountDownLatch(1);
        InProcess grpc = new InProcess(GrpcConfig.defaults().withShutdownGrace(Duration.ofMillis(200)), fake);
        CompletableFuture<Throwable> inFlight = new CompletableFuture<>();
        ClassifierGrpc.newStub(grpc.channel).classify(image(), observer(inFlight));
        while (fake.entered.get() < 1) {
            Thread.sleep(5);
        }
        long start = System.nanoTime();
        grpc.server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(inFlight.get(10, TimeUnit.SECONDS)).isInstanceOf(StatusRuntimeException.class);
        fake.gate.countDown();
        grpc.close();
    }

    /** Completes with null on success, or with the error. */
    static <T> StreamObserver<T> observer(CompletableFuture<Throwable> outcome) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
            }

            @Override
            public void onError(Throwable t) {
                outcome.complete(t);
            }

            @Override
            public void onCompleted() {
                outcome.complete(null);
            }
        };
    }
}

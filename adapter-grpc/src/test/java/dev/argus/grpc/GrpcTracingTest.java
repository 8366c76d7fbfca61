package dev.argus.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.TraceContext;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.ports.out.Span;
import dev.argus.ports.out.SpanExporter;
import dev.argus.ports.service.Tracing;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** W3C trace context over gRPC: accepted as metadata, answered, carried to the use case, sent on by the grpc backend. */
class GrpcTracingTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";
    static final String TRACEPARENT = "00-" + TRACE + "-" + CALLER_SPAN + "-01";

    private final FakeUseCase fake = new FakeUseCase();

    static final class Recorder implements SpanExporter {
        final List<Span> spans = new CopyOnWriteArrayList<>();

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public void export(Span span) {
            spans.add(span);
        }
    }

    /** A call's response headers and trailers. */
    record Answer(AtomicReference<Metadata> headers, AtomicReference<Metadata> trailers) {
        Answer() {
            this(new AtomicReference<>(), new AtomicReference<>());
        }

        String traceparent() {
            Metadata h = headers.get();
            String v = h == null ? null : h.get(TraceInterceptor.TRACEPARENT);
            return v != null ? v : trailers.get() == null ? null : trailers.get().get(TraceInterceptor.TRACEPARENT);
        }
    }

    private static ClassifierGrpc.ClassifierBlockingStub stub(InProcess grpc, Answer answer, String... headers) {
        Metadata md = new Metadata();
        for (int i = 0; i < headers.length; i += 2) {
            md.put(Metadata.Key.of(headers[i], Metadata.ASCII_STRING_MARSHALLER), headers[i + 1]);
        }
        return ClassifierGrpc.newBlockingStub(grpc.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md),
                        MetadataUtils.newCaptureMetadataInterceptor(answer.headers(), answer.trailers()));
    }

    private static ClassifyRequest image(int size) {
        return ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(new byte[size])).build();
    }

    @Test
    void answersWithTheServerSpanOfTheCallersTraceAndCarriesItToTheUseCase() throws Exception {
        try (InProcess grpc = new InProcess(fake)) {
            Answer answer = new Answer();
            stub(grpc, answer, "traceparent", TRACEPARENT, "tracestate", "rojo=1").classify(image(10));
            TraceContext answered = TraceContext.parse(answer.traceparent(), null);
            assertThat(answered.traceId()).isEqualTo(TRACE);
            assertThat(answered.spanId()).isNotEqualTo(CALLER_SPAN);
            TraceContext seen = fake.lastOptions.trace();
            assertThat(seen.spanId()).isEqualTo(answered.spanId());
            assertThat(seen.parentSpanId()).isEqualTo(CALLER_SPAN);
            assertThat(seen.traceState()).isEqualTo("rojo=1");
        }
    }

    @Test
    void withoutTheHeaderAndWithoutExportNothingIsTraced() throws Exception {
        try (InProcess grpc = new InProcess(fake)) {
            Answer answer = new Answer();
            stub(grpc, answer).classify(image(10));
            assertThat(answer.traceparent()).isNull();
            assertThat(fake.lastOptions.trace()).isSameAs(TraceContext.NONE);
        }
    }

    @Test
    void anInvalidHeaderStartsANewTraceAndAFailedCallStillAnswersIt() throws Exception {
        try (InProcess grpc = new InProcess(fake)) {
            Answer answer = new Answer();
            stub(grpc, answer, "traceparent", "00-" + TRACE.toUpperCase() + "-" + CALLER_SPAN + "-01").classify(image(10));
            TraceContext answered = TraceContext.parse(answer.traceparent(), null);
            assertThat(answered.isPresent()).isTrue();
            assertThat(answered.traceId()).isNotEqualTo(TRACE);

            fake.failure = ArgusException.invalidInput("no");
            Answer failed = new Answer();
            assertThatThrownBy(() -> stub(grpc, failed, "traceparent", TRACEPARENT).classify(image(10)))
                    .isInstanceOf(StatusRuntimeException.class);
            assertThat(TraceContext.parse(failed.traceparent(), null).traceId()).isEqualTo(TRACE);
        }
    }

    @Test
    void exportingRecordsTheServerSpanOfEveryCall() throws Exception {
        Recorder recorder = new Recorder();
        try (InProcess grpc = new InProcess(GrpcConfig.defaults(), fake, new Tracing(recorder))) {
            Answer answer = new Answer();
            stub(grpc, answer, "traceparent", TRACEPARENT).classify(image(10));
            stub(grpc, new Answer()).classify(image(10));
            assertThat(recorder.spans).hasSize(2);
            Span server = recorder.spans.get(0);
            assertThat(server.kind()).isEqualTo(Span.Kind.SERVER);
            assertThat(server.name()).isEqualTo("argus.v1.Classifier/Classify");
            assertThat(server.context().traceId()).isEqualTo(TRACE);
            assertThat(server.context().parentSpanId()).isEqualTo(CALLER_SPAN);
            assertThat(server.context().spanId()).isEqualTo(TraceContext.parse(answer.traceparent(), null).spanId());
            assertThat(server.attributes()).containsEntry("rpc.system", "grpc").containsEntry("rpc.method", "Classify")
                    .containsEntry("rpc.grpc.status_code", 0L);
            assertThat(recorder.spans.get(1).context().parentSpanId()).isEmpty(); // a new trace for a call without one
        }
    }

    @Test
    void theGrpcBackendSendsItsClientSpanOnAsTheParentOfTheRemoteServerSpan() throws Exception {
        Recorder client = new Recorder();
        try (InProcess grpc = new InProcess(fake);
             GrpcImageClassifier c = new GrpcImageClassifier(GrpcImageClassifier.configure(
                     InProcessChannelBuilder.forName(grpc.name), GrpcClientConfig.of("in-process")).build(),
                     GrpcClientConfig.of("in-process"), new Tracing(client))) {
            TraceContext request = TraceContext.parse(TRACEPARENT, "rojo=1").child();
            c.classify(List.of(new byte[3], new byte[4]), ClassifyOptions.defaults().withTrace(request));
            assertThat(client.spans).hasSize(1);
            Span call = client.spans.get(0);
            assertThat(call.kind()).isEqualTo(Span.Kind.CLIENT);
            assertThat(call.name()).isEqualTo("argus.v1.Classifier/ClassifyBatch");
            assertThat(call.context().parentSpanId()).isEqualTo(request.spanId());
            assertThat(call.error()).isFalse();
            TraceContext remote = fake.lastOptions.trace();
            assertThat(remote.traceId()).isEqualTo(TRACE);
            assertThat(remote.parentSpanId()).isEqualTo(call.context().spanId());
            assertThat(remote.traceState()).isEqualTo("rojo=1");

            c.classify(List.of(new byte[3]), ClassifyOptions.defaults()); // not traced: nothing sent
            assertThat(fake.lastOptions.trace()).isSameAs(TraceContext.NONE);
            assertThat(client.spans).hasSize(1);

            fake.failure = ArgusException.modelUnavailable("down", null);
            assertThatThrownBy(() -> c.classify(List.of(new byte[3]), ClassifyOptions.defaults().withTrace(request)))
                    .isInstanceOf(ArgusException.class);
            assertThat(client.spans).hasSize(2);
            assertThat(client.spans.get(1).error()).isTrue();
            assertThat(client.spans.get(1).attributes().get("rpc.grpc.status_code")).isNotEqualTo(0L);
        }
    }
}

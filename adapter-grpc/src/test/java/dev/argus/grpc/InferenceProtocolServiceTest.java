package dev.argus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.argus.grpc.inference.GRPCInferenceServiceGrpc;
import dev.argus.grpc.inference.ModelInferRequest;
import dev.argus.grpc.inference.ModelInferResponse;
import dev.argus.grpc.inference.RepositoryModelLoadRequest;
import dev.argus.grpc.inference.ServerLiveRequest;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.in.ModelControl;
import dev.argus.ports.in.ServedModel;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code inference.GRPCInferenceService} in process: malformed requests are INVALID_ARGUMENT naming the field (never
 * INTERNAL, never a copy sized by a declared count), and the tokens guard it as they guard {@code argus.v1}.
 */
class InferenceProtocolServiceTest {
    private final FakeUseCase fake = new FakeUseCase();
    private final List<String> controlled = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger tensorCalls = new java.util.concurrent.atomic.AtomicInteger();
    private GrpcServer server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        ModelCatalog catalog = ModelCatalog.of(new ServedModel("fake/model", "1", fake, Optional.empty(), List.of(), true, () -> true));
        // a model with tensor inference that counts its calls: logits = the input's first value, 3 classes
        catalog.put(new ServedModel("tensor-net", "1", fake, Optional.of((input, deadline) -> {
            tensorCalls.incrementAndGet();
            return new dev.argus.ports.model.FloatTensor(new long[] {1, 3}, new float[] {input.data()[0], 0, 0});
        }), List.of(), true, () -> true));
        ModelControl control = new ModelControl() {
            @Override
            public List<String> refusal() {
                return List.of();
            }

            @Override
            public void load(String name) {
                controlled.add("load " + name);
            }

            @Override
            public void unload(String name) {
                controlled.add("unload " + name);
            }
        };
        String name = InProcessServerBuilder.generateName();
        server = GrpcServer.start(InProcessServerBuilder.forName(name), GrpcConfig.defaults().withAuthToken("infer"), catalog,
                control, Set.of("admin"));
        server.setServing(true);
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(String token) {
        Metadata m = new Metadata();
        if (token != null) {
            m.put(BearerTokenInterceptor.AUTHORIZATION, "Bearer " + token);
        }
        return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
    }

    private static ByteString raw(byte[]... elements) {
        return OipTensors.bytesContent(List.of(elements));
    }

    private static ModelInferRequest images(long n, ByteString raw) {
        return ModelInferRequest.newBuilder().setModelName("model").addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                .setName("image").setDatatype("BYTES").addShape(n)).addRawInputContents(raw).build();
    }

    private static StatusRuntimeException failure(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void answersInRawOutputContentsTheFakesClassificationsAsScoreIndexLabel() {
        ModelInferResponse r = stub("infer").modelInfer(images(2, raw(new byte[] {1, 2, 3}, new byte[] {4, 5})));
        assertThat(r.getModelName()).isEqualTo("fake/model");
        assertThat(r.getOutputs(0).getName()).isEqualTo("classification");
        assertThat(r.getOutputs(0).getShapeList()).hasSize(2).first().isEqualTo(2L);
        List<byte[]> strings = OipTensors.bytesElements(r.getRawOutputContents(0),
                (int) (r.getOutputs(0).getShape(0) * r.getOutputs(0).getShape(1)), "out");
        assertThat(new String(strings.get(0), java.nio.charset.StandardCharsets.UTF_8)).matches("\\d\\.\\d{6}:\\d+:.+");
        assertThat(fake.imagesSeen.get()).isEqualTo(2);
    }

    @Test
    void malformedRequestsAreInvalidArgumentNamingTheFieldBeforeAnythingIsClassified() {
        // a length running past the end; fewer elements than the shape; bytes left over; a declared batch of a billion
        assertThat(failure(() -> stub("infer").modelInfer(images(1, ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, 0, 0, 1})))))
                .satisfies(e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("raw_input_contents[0] element 0 declares 65535 bytes");
                    assertThat(Statuses.badFields(e)).containsExactly("raw_input_contents[0]");
                });
        assertThat(failure(() -> stub("infer").modelInfer(images(3, raw(new byte[] {1})))).getStatus().getDescription())
                .contains("holds 1 BYTES element(s); the shape says 3");
        assertThat(failure(() -> stub("infer").modelInfer(images(1, raw(new byte[] {1}, new byte[] {2})))).getStatus().getDescription())
                .contains("bytes after the 1 element(s)");
        assertThat(failure(() -> stub("infer").modelInfer(images(1_000_000_000L, raw(new byte[] {1})))).getStatus().getDescription())
                .contains("limit (max_batch_size) is 256");
        ModelInferRequest both = images(1, raw(new byte[] {1})).toBuilder().setInputs(0, ModelInferRequest.InferInputTensor.newBuilder()
                .setName("image").setDatatype("BYTES").addShape(1).setContents(dev.argus.grpc.inference.InferTensorContents.newBuilder()
                        .addBytesContents(ByteString.copyFrom(new byte[] {1})))).build();
        assertThat(failure(() -> stub("infer").modelInfer(both)).getStatus().getDescription()).contains("both contents and raw_input_contents");
        ModelInferRequest unknownOutput = images(1, raw(new byte[] {1})).toBuilder().addOutputs(
                ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("probabilities")).build();
        assertThat(failure(() -> stub("infer").modelInfer(unknownOutput)).getStatus().getDescription()).contains("Unknown output 'probabilities'");
        ModelInferRequest tensorOnRemote = ModelInferRequest.newBuilder().setModelName("model").addInputs(
                ModelInferRequest.InferInputTensor.newBuilder().setName("pixel_values").setDatatype("FP32").addShape(1)).build();
        assertThat(failure(() -> stub("infer").modelInfer(tensorOnRemote)).getStatus().getDescription()).contains("takes BYTES inputs only");
        assertThat(failure(() -> stub("infer").modelInfer(images(1, raw(new byte[] {1})).toBuilder().setModelName("other").build()))
                .getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(fake.calls.get()).isZero();
    }

    @Test
    void fp32ValuesMustBeFiniteNumbersAndFillTheShapeExactly() {
        ModelInferRequest.InferInputTensor input = ModelInferRequest.InferInputTensor.newBuilder().setName("pixel_values")
                .setDatatype("FP32").addShape(1).addShape(2).build();
        ModelInferRequest nan = ModelInferRequest.newBuilder().setModelName("tensor-net").addInputs(input)
                .addRawInputContents(OipTensors.fp32Content(new float[] {1, Float.NaN})).build();
        assertThat(failure(() -> stub("infer").modelInfer(nan))).satisfies(e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("element 1 is NaN");
        });
        ModelInferRequest shortRaw = nan.toBuilder().setRawInputContents(0, OipTensors.fp32Content(new float[] {1})).build();
        assertThat(failure(() -> stub("infer").modelInfer(shortRaw)).getStatus().getDescription()).contains("holds 4 bytes");
        assertThat(tensorCalls.get()).isZero();
        ModelInferResponse ok = stub("infer").modelInfer(nan.toBuilder()
                .setRawInputContents(0, OipTensors.fp32Content(new float[] {7, 1})).build());
        assertThat(OipTensors.fp32(ok.getRawOutputContents(0), 3, "out")).containsExactly(7f, 0f, 0f);
        assertThat(tensorCalls.get()).isEqualTo(1);
    }

    @Test
    void theInferenceTokenGuardsInferenceAndOnlyTheAdminTokenLoads() {
        assertThat(failure(() -> stub(null).serverLive(ServerLiveRequest.getDefaultInstance())).getStatus().getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(stub("infer").serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        RepositoryModelLoadRequest load = RepositoryModelLoadRequest.newBuilder().setModelName("m").build();
        assertThat(failure(() -> stub("infer").repositoryModelLoad(load)).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        stub("admin").repositoryModelLoad(load);
        assertThat(controlled).containsExactly("load m");
    }
}

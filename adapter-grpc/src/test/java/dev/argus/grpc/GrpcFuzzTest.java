package dev.argus.grpc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.argus.grpc.inference.GRPCInferenceServiceGrpc;
import dev.argus.grpc.inference.ModelInferRequest;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.in.ServedModel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * gRPC's message mapping, through a real (in-process) server: {@code argus.v1.Classifier/Classify} (ProtoMapper's
 * images, numbers and options) and {@code inference.GRPCInferenceService/ModelInfer} (the Open Inference Protocol's
 * tensors, raw and typed, BYTES and FP32, parameters). Each input is parsed as the request message and sent. A finding
 * is a status of INTERNAL or UNKNOWN (a malformed request must be INVALID_ARGUMENT or another status naming what was
 * wrong), or a call that does not finish by its deadline.
 */
class GrpcFuzzTest {
    private static ManagedChannel channel;

    private static synchronized ManagedChannel channel() {
        if (channel == null) {
            ModelCatalog catalog = ModelCatalog.of(new ServedModel("fake/model", "1", new FakeUseCase(), Optional.empty(),
                    List.of(), true, () -> true));
            catalog.put(new ServedModel("tensor-net", "1", new FakeUseCase(), Optional.of((input, deadline) ->
                    new dev.argus.ports.model.FloatTensor(new long[] {input.batchSize(), 3}, new float[input.batchSize() * 3])),
                    List.of(), true, () -> true));
            String name = InProcessServerBuilder.generateName();
            GrpcServer server = GrpcServer.start(InProcessServerBuilder.forName(name), GrpcConfig.defaults(), catalog, null, Set.of());
            server.setServing(true);
            channel = InProcessChannelBuilder.forName(name).build();
        }
        return channel;
    }

    private static void statusNamesTheProblem(StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.INTERNAL || code == Status.Code.UNKNOWN || code == Status.Code.DEADLINE_EXCEEDED) {
            throw new AssertionError("a malformed request got " + code + ": " + e.getStatus().getDescription(), e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void classifyRequest(byte[] message) {
        ClassifyRequest request;
        try {
            request = ClassifyRequest.parseFrom(message);
        } catch (InvalidProtocolBufferException e) {
            return; // not a message: gRPC refuses it before the service sees it
        }
        try {
            ClassifierGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS).classify(request);
        } catch (StatusRuntimeException e) {
            statusNamesTheProblem(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void modelInferRequest(byte[] message) {
        ModelInferRequest request;
        try {
            request = ModelInferRequest.parseFrom(message);
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        try {
            GRPCInferenceServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(request);
        } catch (StatusRuntimeException e) {
            statusNamesTheProblem(e);
        }
    }
}

package dev.argus.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.grpc.v1.ModelRepositoryGrpc;
import dev.argus.grpc.v1.RepositoryIndexRequest;
import dev.argus.grpc.v1.RepositoryModelRequest;
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
import org.junit.jupiter.api.Test;

/** {@code argus.v1.ModelRepository}: the index with the inference token, load and unload with the admin token only. */
class GrpcRepositoryServiceTest {

    /** Records what it was asked; refuses what {@code refusal} says, and names it does not know. */
    private static final class FakeControl implements ModelControl {
        final List<String> calls = new ArrayList<>();
        List<String> refusal = List.of();

        @Override
        public List<String> refusal() {
            return refusal;
        }

        @Override
        public void load(String name) {
            calls.add("load " + name);
            if (name.equals("broken")) {
                throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "Cannot load model 'broken' version 2: bad file");
            }
            if (name.equals("nope")) {
                throw ArgusException.invalidInput("The repository holds no model 'nope'");
            }
        }

        @Override
        public void unload(String name) {
            calls.add("unload " + name);
        }
    }

    private static Metadata bearer(String token) {
        Metadata m = new Metadata();
        m.put(BearerTokenInterceptor.AUTHORIZATION, "Bearer " + token);
        return m;
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void loadAndUnloadTakeTheAdminTokenAndNothingElseWhileTheIndexTakesTheInferenceToken() throws Exception {
        ModelCatalog catalog = new ModelCatalog();
        catalog.put(new ServedModel("m", "1", new FakeUseCase(), Optional.empty(), List.of(), true, () -> true));
        catalog.failed("m", "2", "bad file");
        FakeControl control = new FakeControl();
        String name = InProcessServerBuilder.generateName();
        GrpcServer server = GrpcServer.start(InProcessServerBuilder.forName(name), GrpcConfig.defaults().withAuthToken("infer"),
                catalog, control, Set.of("admin"));
        ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
        try {
            var plain = ModelRepositoryGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
            var inference = plain.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer("infer")));
            var admin = plain.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer("admin")));
            RepositoryModelRequest m = RepositoryModelRequest.newBuilder().setName("m").build();

            assertThat(code(() -> plain.index(RepositoryIndexRequest.getDefaultInstance()))).isEqualTo(Status.Code.UNAUTHENTICATED);
            var index = inference.index(RepositoryIndexRequest.getDefaultInstance()).getModelsList();
            assertThat(index).extracting(e -> e.getName() + " " + e.getVersion() + " " + e.getState() + " " + e.getReason())
                    .containsExactly("m 1 READY ", "m 2 UNAVAILABLE bad file");

            assertThat(code(() -> plain.load(m))).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(code(() -> inference.load(m))).as("an inference token does not load models").isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(control.calls).isEmpty();
            admin.load(m);
            admin.unload(m);
            assertThat(control.calls).containsExactly("load m", "unload m");

            assertThatThrownBy(() -> admin.load(RepositoryModelRequest.newBuilder().setName("broken").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                        assertThat(e.getStatus().getDescription()).contains("bad file");
                    });
            assertThat(code(() -> admin.load(RepositoryModelRequest.newBuilder().setName("nope").build()))).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(code(() -> admin.load(RepositoryModelRequest.getDefaultInstance()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
            control.refusal = List.of("Model control is off (argus.repository.control=none).");
            assertThatThrownBy(() -> admin.unload(m)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getStatus().getDescription()).contains("argus.repository.control=none");
            });
        } finally {
            ch.shutdownNow();
            server.close();
        }

        // no admin token configured: model control is refused outright
        String other = InProcessServerBuilder.generateName();
        GrpcServer noAdmin = GrpcServer.start(InProcessServerBuilder.forName(other), GrpcConfig.defaults(), catalog, control, Set.of());
        ManagedChannel ch2 = InProcessChannelBuilder.forName(other).build();
        try {
            var stub = ModelRepositoryGrpc.newBlockingStub(ch2).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer("admin")));
            assertThat(code(() -> stub.load(RepositoryModelRequest.newBuilder().setName("m").build()))).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(stub.index(RepositoryIndexRequest.getDefaultInstance()).getModelsCount()).isEqualTo(2);
        } finally {
            ch2.shutdownNow();
            noAdmin.close();
        }
    }
}

package dev.argus.grpc;

import static dev.argus.grpc.GrpcClassificationServiceTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.argus.domain.ArgusException;
import dev.argus.grpc.inference.GRPCInferenceServiceGrpc;
import dev.argus.grpc.inference.ServerLiveRequest;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Several gRPC tokens, so that one can be rotated without a gap: any of them is accepted, nothing else. */
class TokenRotationTest {
    private static final Set<String> TOKENS = Set.of("old-token-1", "new-token-2");
    private final FakeUseCase fake = new FakeUseCase();

    private static ClassifyRequest image() {
        return ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(new byte[42])).build();
    }

    @Test
    void acceptsEitherOfTwoTokensOnEveryProtectedService() throws Exception {
        try (InProcess grpc = new InProcess(GrpcConfig.defaults().withAuthTokens(TOKENS), fake)) {
            for (String token : TOKENS) {
                assertThat(ClassifierGrpc.newBlockingStub(grpc.channel).withCallCredentials(new BearerTokenCredentials(token))
                        .classify(image()).getClassificationsCount()).as(token).isEqualTo(5);
                assertThat(GRPCInferenceServiceGrpc.newBlockingStub(grpc.channel)
                        .withCallCredentials(new BearerTokenCredentials(token))
                        .serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).as(token).isTrue();
            }
            assertThat(fake.calls).hasValue(2);
        }
    }

    @Test
    void refusesAThirdTokenAndNearMissesWithUnauthenticated() throws Exception {
        try (InProcess grpc = new InProcess(GrpcConfig.defaults().withAuthTokens(TOKENS), fake)) {
            for (String wrong : new String[] {"third-token-3", "old-token-1,new-token-2", "old-token-", "new-token-2x"}) {
                StatusRuntimeException e = failure(() -> ClassifierGrpc.newBlockingStub(grpc.channel)
                        .withCallCredentials(new BearerTokenCredentials(wrong)).classify(image()));
                assertThat(e.getStatus().getCode()).as(wrong).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription()).doesNotContain("token-1").doesNotContain("token-2");
                assertThat(failure(() -> GRPCInferenceServiceGrpc.newBlockingStub(grpc.channel)
                        .withCallCredentials(new BearerTokenCredentials(wrong)).serverLive(ServerLiveRequest.getDefaultInstance()))
                        .getStatus().getCode()).as(wrong).isEqualTo(Status.Code.UNAUTHENTICATED);
            }
            assertThat(failure(() -> ClassifierGrpc.newBlockingStub(grpc.channel).classify(image())).getStatus().getCode())
                    .isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(fake.calls).hasValue(0);
        }
    }

    @Test
    void oneTokenWorksAsBeforeAndTheConfigNeverShowsAny() {
        assertThat(GrpcConfig.defaults().withAuthToken("single").authTokens()).containsExactly("single");
        GrpcConfig two = GrpcConfig.defaults().withAuthTokens(TOKENS);
        assertThat(two.authEnabled()).isTrue();
        assertThat(two.toString()).doesNotContain("old-token-1").doesNotContain("new-token-2").contains("2, hidden");
        assertThat(GrpcConfig.defaults().withAuthTokens(Set.of(" ", "")).authEnabled()).isFalse();
        assertThatThrownBy(() -> GrpcConfig.defaults().withAuthTokens(Set.of("ok", "has space")))
                .isInstanceOf(ArgusException.class).hasMessageContaining("argus.grpc.token").hasMessageNotContaining("has space");
    }
}

package dev.argus.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GrpcConfigTest {

    @Test
    void defaultsFitA10MiBImageAndServeOnTheUsualPort() {
        GrpcConfig d = GrpcConfig.defaults();
        assertThat(d.host()).isEqualTo("0.0.0.0");
        assertThat(d.port()).isEqualTo(50051);
        assertThat(d.maxInboundMessageBytes()).isEqualTo(16 * 1024 * 1024).isGreaterThan(10 * 1024 * 1024 + 1024);
        assertThat(d.maxConcurrentCalls()).isEqualTo(64);
        assertThat(d.authTokens()).isEmpty();
        assertThat(d.tls()).isFalse();
        assertThat(d.keepAliveTime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(d.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(d.permitKeepAliveTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> GrpcConfig.defaults().withAddress("127.0.0.1", 70000))
                .isInstanceOf(ArgusException.class).hasMessageContaining("port").hasMessageContaining("70000");
        assertThatThrownBy(() -> GrpcConfig.defaults().withMaxConcurrentCalls(0)).hasMessageContaining("concurrent");
        assertThatThrownBy(() -> GrpcConfig.defaults().withMaxInboundMessageBytes(10)).hasMessageContaining("message size");
        assertThatThrownBy(() -> GrpcConfig.defaults().withShutdownGrace(Duration.ofSeconds(-1))).hasMessageContaining("grace");
        assertThatThrownBy(() -> GrpcConfig.defaults().withTls(Path.of("/nonexistent/cert.pem"), Path.of("/nonexistent/key.pem")))
                .hasMessageContaining("/nonexistent/cert.pem");
        GrpcConfig d = GrpcConfig.defaults();
        assertThatThrownBy(() -> new GrpcConfig(d.host(), d.port(), d.maxInboundMessageBytes(), d.maxConcurrentCalls(),
                d.authTokens(), Optional.of(Path.of("cert.pem")), Optional.empty(), d.keepAliveTime(), d.keepAliveTimeout(),
                d.permitKeepAliveTime(), d.shutdownGrace())).hasMessageContaining("both");
    }

    @Test
    void aBlankTokenMeansNoAuth() {
        assertThat(GrpcConfig.defaults().withAuthToken("  ").authTokens()).isEmpty();
    }

    @Test
    void toStringNeverShowsTheToken() {
        assertThat(GrpcConfig.defaults().withAuthToken("hunter2").toString()).doesNotContain("hunter2").contains("authTokens=****");
        assertThat(GrpcClientConfig.of("h:1").withToken("hunter2").toString()).doesNotContain("hunter2").contains("token=****");
    }

    @Test
    void clientDefaultsAndValidation() {
        GrpcClientConfig c = GrpcClientConfig.of("localhost:50051");
        assertThat(c.deadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.retries()).isEqualTo(3);
        assertThat(c.tls()).isFalse();
        assertThat(c.token()).isEmpty();
        assertThat(c.maxMessageBytes()).isEqualTo(16 * 1024 * 1024);
        assertThatThrownBy(() -> GrpcClientConfig.of(" ")).hasMessageContaining("target");
        assertThatThrownBy(() -> c.withRetries(9)).hasMessageContaining("retries");
        assertThatThrownBy(() -> c.withDeadline(Duration.ZERO)).hasMessageContaining("deadline");
        assertThatThrownBy(() -> c.withTls(Path.of("/nonexistent/ca.pem"))).hasMessageContaining("/nonexistent/ca.pem");
    }
}

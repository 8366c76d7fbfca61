package dev.argus.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import org.junit.jupiter.api.Test;

class RestServerLifecycleTest {

    @Test
    void reportsAPortInUseAsAConfigurationErrorNamingIt() {
        try (TestServer first = new TestServer()) {
            int port = first.server.port();
            RestServer second = new RestServer(RestConfig.defaults().withPort(port), new FakeUseCase(), () -> true);
            assertThatThrownBy(second::start).isInstanceOf(ArgusException.class)
                    .satisfies(e -> assertThat(((ArgusException) e).code()).isEqualTo(ErrorCode.CONFIGURATION))
                    .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("in use");
            second.close();
        }
    }

    @Test
    void closeIsIdempotentAndAClosedServerCannotStart() {
        RestServer s = new RestServer(RestConfig.defaults().withPort(0), new FakeUseCase(), () -> true).start();
        assertThat(s.port()).isPositive();
        s.close();
        s.close();
        assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aServerThatNeverStartedClosesQuietly() {
        new RestServer(RestConfig.defaults(), new FakeUseCase(), () -> false).close();
    }
}

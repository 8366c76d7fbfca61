package dev.argus.rest;

import static dev.argus.rest.CloudflareRouteTest.PNG;
import static dev.argus.rest.CloudflareRouteTest.assertError;
import static dev.argus.rest.TestServer.CF_PATH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** CORS: off by default (no headers at all); on, preflights answered without a token and allowed origins named. */
class CorsTest {
    static final String APP = "https://app.example.com";
    static final String OTHER = "https://evil.example.net";
    static final String TOKEN = "cors-token";

    private static TestServer server(RestConfig.Cors cors) {
        return new TestServer(RestConfig.defaults().withAuthTokens(Set.of(TOKEN)).withCors(cors));
    }

    private static HttpResponse<String> preflight(TestServer s, String path, String origin) {
        return s.send(s.request(path).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build());
    }

    private static HttpResponse<String> post(TestServer s, String path, String origin, String token, byte[] body) {
        HttpRequest.Builder b = s.request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Origin", origin);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return s.send(b.build());
    }

    private static List<String> corsHeaders(HttpResponse<String> r) {
        return r.headers().map().keySet().stream().filter(h -> h.toLowerCase().startsWith("access-control-")).toList();
    }

    @Test
    void offByDefaultSendsNoCorsHeaders() {
        assertThat(RestConfig.defaults().cors().enabled()).isFalse();
        try (TestServer s = new TestServer()) {
            HttpResponse<String> ok = post(s, CF_PATH, APP, null, PNG);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(corsHeaders(ok)).isEmpty();
            assertThat(ok.headers().firstValue("Vary")).isEmpty();
            HttpResponse<String> options = preflight(s, CF_PATH, APP);
            assertThat(options.statusCode()).isNotEqualTo(204);
            assertThat(corsHeaders(options)).isEmpty();
            assertThat(corsHeaders(post(s, "/v1/classify", APP, null, new byte[0]))).isEmpty();
        }
    }

    @Test
    void answersAPreflightFromAnAllowedOriginWithoutAToken() {
        try (TestServer s = server(RestConfig.Cors.of(APP, "http://localhost:3000"))) {
            HttpResponse<String> r = preflight(s, CF_PATH, APP);
            assertThat(r.statusCode()).isEqualTo(204);
            assertThat(r.body()).isEmpty();
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
            assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST");
            assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
                    .contains("Authorization", "Content-Type", "Inference-Header-Content-Length", "traceparent");
            assertThat(r.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
            assertThat(r.headers().firstValue("Vary")).hasValue("Origin");
            assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
            // the Open Inference Protocol's routes too, with their own methods
            HttpResponse<String> model = preflight(s, "/v2/models/fake-net/infer", "http://localhost:3000");
            assertThat(model.statusCode()).isEqualTo(204);
            assertThat(model.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");
            assertThat(model.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, HEAD, POST");
        }
    }

    @Test
    void givesAnotherOriginNoCorsHeaders() {
        try (TestServer s = server(RestConfig.Cors.of(APP))) {
            HttpResponse<String> options = preflight(s, CF_PATH, OTHER);
            assertThat(options.statusCode()).as("not a preflight it answers: a request without a token").isEqualTo(401);
            assertThat(corsHeaders(options)).isEmpty();
            HttpResponse<String> actual = post(s, CF_PATH, OTHER, TOKEN, PNG);
            assertThat(actual.statusCode()).isEqualTo(200);
            assertThat(corsHeaders(actual)).isEmpty();
            assertThat(actual.headers().firstValue("Vary")).hasValue("Origin");
            // an origin differing only in scheme, port or a suffix is another origin
            for (String near : new String[] {"http://app.example.com", APP + ":8443", APP + ".evil.net", "null"}) {
                assertThat(corsHeaders(preflight(s, CF_PATH, near))).as(near).isEmpty();
            }
        }
    }

    @Test
    void namesTheAllowedOriginOnActualAnswersAndErrors() {
        try (TestServer s = server(RestConfig.Cors.of(APP))) {
            HttpResponse<String> ok = post(s, CF_PATH, APP, TOKEN, PNG);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
            assertThat(ok.headers().firstValue("Vary")).hasValue("Origin");
            assertThat(ok.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("X-Request-Id");
            // an early refusal (no token), an error envelope (no body), a wrong method, an unknown path
            HttpResponse<String> unauthorized = post(s, CF_PATH, APP, null, PNG);
            assertError(unauthorized, 401, 10000);
            assertThat(unauthorized.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
            HttpResponse<String> noBody = post(s, CF_PATH, APP, TOKEN, new byte[0]);
            assertError(noBody, 400, 3003);
            assertThat(noBody.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
            HttpResponse<String> wrongMethod = s.send(s.request(CF_PATH).GET().header("Origin", APP)
                    .header("Authorization", "Bearer " + TOKEN).build());
            assertError(wrongMethod, 405, 10405);
            assertThat(wrongMethod.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
            HttpResponse<String> open = s.send(s.request("/v2/health/ready").GET().header("Origin", APP).build());
            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(open.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        }
    }

    @Test
    void namesTheAllowedOriginOnARefusalBeforeTheBodyIsRead() {
        try (TestServer s = new TestServer(RestConfig.defaults().withMaxBodyBytes(1024).withCors(RestConfig.Cors.of(APP)))) {
            HttpResponse<String> tooLarge = post(s, CF_PATH, APP, null, new byte[2048]);
            assertError(tooLarge, 413, 3006);
            assertThat(tooLarge.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        }
    }

    @Test
    void aPreflightForAPathNoRouteServesIsNotAnswered() {
        try (TestServer s = server(RestConfig.Cors.of(APP))) {
            HttpResponse<String> r = preflight(s, "/nothing-here", APP);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
            // an OPTIONS request that is no preflight is a request as any other
            HttpResponse<String> plain = s.send(s.request(CF_PATH).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", APP).header("Authorization", "Bearer " + TOKEN).build());
            assertThat(plain.statusCode()).isEqualTo(405);
            assertThat(plain.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
        }
    }

    @Test
    void anyOriginWithStarAndTheMaxAgeConfigured() {
        try (TestServer s = server(RestConfig.Cors.of("*").withMaxAge(Duration.ofSeconds(60)))) {
            HttpResponse<String> r = preflight(s, "/v1/classify", OTHER);
            assertThat(r.statusCode()).isEqualTo(204);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
            assertThat(r.headers().firstValue("Access-Control-Max-Age")).hasValue("60");
            HttpResponse<String> noOrigin = s.send(s.request("/v2/health/live").GET().build());
            assertThat(noOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void refusesOriginsThatCannotMatchNamingTheKey() {
        for (String bad : new String[] {APP + "/", "app.example.com", APP + "/path", "null", "HTTPS://APP.EXAMPLE.COM", " "}) {
            assertThatThrownBy(() -> RestConfig.Cors.of(bad)).as(bad).isInstanceOf(ArgusException.class)
                    .hasMessageContaining("argus.rest.cors-origins");
        }
        assertThatThrownBy(() -> RestConfig.Cors.of("*", APP)).hasMessageContaining("* alone");
        assertThatThrownBy(() -> RestConfig.Cors.of(APP).withMaxAge(Duration.ofDays(2))).hasMessageContaining("argus.rest.cors-max-age-s");
        assertThatThrownBy(() -> RestConfig.Cors.of(APP).withMaxAge(Duration.ofSeconds(-1))).hasMessageContaining("max age");
        assertThat(RestConfig.defaults().withCors(RestConfig.Cors.of(APP)).toString()).contains("cors=[" + APP + "]");
    }
}

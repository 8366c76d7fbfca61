package dev.argus.rest;

import static dev.argus.rest.CloudflareRouteTest.PNG;
import static dev.argus.rest.CloudflareRouteTest.assertError;
import static dev.argus.rest.TestServer.CF_PATH;
import static dev.argus.rest.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthTest {
    static final String TOKEN = "s3cr3t-token-value";

    @Test
    void refusesMissingOrWrongBearerTokensWith401And10000() {
        try (TestServer s = new TestServer(RestConfig.defaults().withAuthTokens(Set.of(TOKEN, "second-token")))) {
            HttpResponse<String> none = s.post(CF_PATH, null, PNG);
            assertError(none, 401, 10000);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertError(withToken(s, CF_PATH, "wrong"), 401, 10000);
            assertError(withToken(s, CF_PATH, TOKEN + "x"), 401, 10000);
            assertError(withToken(s, CF_PATH, TOKEN.substring(1)), 401, 10000);
            assertError(withToken(s, "/v1/classify", TOKEN.toUpperCase()), 401, 10000);
            assertError(s.send(s.request(CF_PATH).header("Authorization", "Basic " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(PNG)).build()), 401, 10000);
            assertThat(none.body()).doesNotContain(TOKEN);
        }
    }

    @Test
    void acceptsEveryConfiguredToken() {
        try (TestServer s = new TestServer(RestConfig.defaults().withAuthTokens(Set.of(TOKEN, "second-token")))) {
            assertThat(withToken(s, CF_PATH, TOKEN).statusCode()).isEqualTo(200);
            assertThat(withToken(s, "/v1/classify", "second-token").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void protectsTheInferenceProtocolModelRoutesWithAnErrorObject() {
        try (TestServer s = new TestServer(RestConfig.defaults().withAuthTokens(Set.of(TOKEN)))) {
            HttpResponse<String> r = s.get("/v2/models/fake-net");
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(json(r).get("error").asText()).contains("Authentication");
            assertThat(s.send(s.request("/v2/models/fake-net").header("Authorization", "Bearer " + TOKEN).GET().build())
                    .statusCode()).isEqualTo(200);
        }
    }

    /** A request for a registered route: path parameters filled in, a body where the method takes one. */
    private static HttpRequest requestFor(TestServer s, String route) {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1)
                .replace("{account_id}", "acc").replace("<model>", "@cf/microsoft/resnet-50").replace("<model>", "fake-net")
                .replaceAll("\\{[^}]+}", "x").replaceAll("<[^>]+>", "fake-net");
        return s.request(path).method(method, method.equals("GET") || method.equals("HEAD")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(PNG)).build();
    }

    @Test
    void everyRegisteredRouteNotOnTheOpenListNeedsTheToken() {
        try (TestServer s = new TestServer(RestConfig.defaults().withAuthTokens(Set.of(TOKEN)))) {
            java.util.List<String> routes = s.server.routes();
            assertThat(routes).hasSizeGreaterThanOrEqualTo(11);
            int checked = 0;
            for (String route : routes) {
                String path = route.substring(route.indexOf(' ') + 1);
                HttpResponse<String> r = s.send(requestFor(s, route));
                if (RestServer.OPEN_PATHS.contains(path)) {
                    assertThat(r.statusCode()).as(route + " is open").isNotEqualTo(401);
                } else if (path.startsWith(RestServer.CONTROL_PATH)) {
                    // not a load or unload: the inference token, as everywhere
                    assertThat(r.statusCode()).as(route + " without a token").isEqualTo(401);
                    // load and unload take the admin token only: refused (403: none configured here), even with an
                    // inference token
                    for (String action : new String[] {"/m/load", "/m/unload"}) {
                        assertThat(s.send(s.request(RestServer.CONTROL_PATH.substring(0, RestServer.CONTROL_PATH.length() - 1) + action)
                                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).as(action + " without a token")
                                .isEqualTo(403);
                        assertThat(s.send(s.request(RestServer.CONTROL_PATH.substring(0, RestServer.CONTROL_PATH.length() - 1) + action)
                                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build())
                                .statusCode()).as(action + " with an inference token").isEqualTo(403);
                    }
                    checked++;
                } else {
                    assertThat(r.statusCode()).as(route + " without a token").isEqualTo(401);
                    checked++;
                }
            }
            assertThat(checked).as("protected routes checked").isGreaterThanOrEqualTo(5);
            // paths no route serves, and near-misses of open ones, need the token too
            for (String path : new String[] {"/v2/", "/v2/models/", "/metrics/", "/nothing-here", "/v1/classify/"}) {
                assertThat(s.get(path).statusCode()).as(path).isEqualTo(401);
            }
            assertThat(s.get("//metrics").statusCode()).as("//metrics").isNotEqualTo(200);
        }
    }

    @Test
    void leavesHealthMetricsAndPagesOpen() {
        try (TestServer s = new TestServer(RestConfig.defaults().withAuthTokens(Set.of(TOKEN)))) {
            for (String path : new String[] {"/v2/health/live", "/v2/health/ready", "/metrics", "/", "/docs", "/openapi.json"}) {
                assertThat(s.get(path).statusCode()).as(path).isEqualTo(200);
            }
        }
    }

    @Test
    void needsNoTokenWhenNoneIsConfigured() {
        try (TestServer s = new TestServer()) {
            assertThat(s.post(CF_PATH, null, PNG).statusCode()).isEqualTo(200);
            assertThat(withToken(s, CF_PATH, "anything").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void comparesDigestsOfEqualLengthSoTokenLengthDoesNotMatter() {
        BearerAuth auth = new BearerAuth(Set.of(TOKEN));
        assertThat(auth.allows("Bearer " + TOKEN)).isTrue();
        assertThat(auth.allows("bearer " + TOKEN)).isTrue();
        assertThat(auth.allows("Bearer ")).isFalse();
        assertThat(auth.allows(null)).isFalse();
        assertThat(auth.allows("Bearer " + TOKEN.repeat(100))).isFalse();
        assertThat(new BearerAuth(Set.of()).allows(null)).isTrue();
    }

    private static HttpResponse<String> withToken(TestServer s, String path, String token) {
        return s.send(s.request(path).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(PNG)).build());
    }
}

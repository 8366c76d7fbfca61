package dev.argus.rest;

import static dev.argus.rest.CloudflareRouteTest.PNG;
import static dev.argus.rest.CloudflareRouteTest.assertError;
import static dev.argus.rest.TestServer.CF_PATH;
import static dev.argus.rest.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A wrong method on a path a route serves: 405 with Allow, in the route family's error form; 404 stays for unknown paths. */
class MethodNotAllowedTest {
    static TestServer s;

    @BeforeAll
    static void start() {
        s = new TestServer();
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    static HttpResponse<String> send(TestServer server, String method, String path, String token) {
        HttpRequest.Builder b = server.request(path).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return server.send(b.build());
    }

    @Test
    void answersAWrongMethodOnTheCloudflareRouteWith405AndAllow() {
        HttpResponse<String> r = send(s, "GET", CF_PATH, null);
        assertError(r, 405, 10405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        assertThat(json(r).get("errors").get(0).get("message").asText()).contains("GET").contains("POST");
        assertError(send(s, "PUT", "/v1/classify", null), 405, 10405);
        assertError(send(s, "DELETE", "/v1/models/fake-net/classify", null), 405, 10405);
    }

    @Test
    void listsEveryMethodOfTheRouteInAllow() {
        assertThat(send(s, "DELETE", "/v2/health/ready", null).headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(send(s, "POST", "/metrics", null).headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(send(s, "PATCH", "/", null).headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(send(s, "PUT", "/v1/classify", null).headers().firstValue("Allow")).hasValue("POST");
        assertThat(send(s, "DELETE", "/v2/repository/index", null).headers().firstValue("Allow")).hasValue("GET, HEAD, POST");
        HttpResponse<String> head = send(s, "HEAD", "/v1/classify", null);
        assertThat(head.statusCode()).isEqualTo(405);
        assertThat(head.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void answersTheInferenceProtocolRoutesWithItsErrorObject() {
        HttpResponse<String> r = send(s, "DELETE", "/v2/health/ready", null);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(json(r).get("error").asText()).contains("DELETE").contains("GET");
        HttpResponse<String> model = send(s, "PUT", "/v2/models/fake-net", null);
        assertThat(model.statusCode()).isEqualTo(405);
        assertThat(model.headers().firstValue("Allow")).hasValue("GET, HEAD, POST");
    }

    @Test
    void keeps404ForPathsNoRouteServes() {
        assertError(send(s, "GET", "/nothing-here", null), 404, 3042);
        assertError(send(s, "DELETE", "/nothing-here", null), 404, 3042);
        assertError(send(s, "GET", "/v1/classify/more", null), 404, 3042);
        assertThat(send(s, "GET", "/nothing-here", null).headers().firstValue("Allow")).isEmpty();
        // the right method still works
        assertThat(s.post(CF_PATH, null, PNG).statusCode()).isEqualTo(200);
        assertThat(s.get("/v2/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutCorsAnOptionsRequestIsAWrongMethodLikeAnyOther() {
        HttpResponse<String> r = s.send(s.request(CF_PATH).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "POST").build());
        assertError(r, 405, 10405);
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
    }

    @Test
    void authenticationComesBeforeTheMethodCheck() {
        String token = "the-token";
        try (TestServer auth = new TestServer(RestConfig.defaults().withAuthTokens(Set.of(token)))) {
            // a protected route without a token: 401, which tells nothing about the route's methods
            HttpResponse<String> none = send(auth, "GET", CF_PATH, null);
            assertError(none, 401, 10000);
            assertThat(none.headers().firstValue("Allow")).isEmpty();
            assertError(send(auth, "GET", CF_PATH, "wrong"), 401, 10000);
            assertThat(send(auth, "DELETE", "/v2/models/fake-net", null).statusCode()).isEqualTo(401);
            // with the token: 405
            HttpResponse<String> ok = send(auth, "GET", CF_PATH, token);
            assertError(ok, 405, 10405);
            assertThat(ok.headers().firstValue("Allow")).hasValue("POST");
            // open routes stay open: 405 without a token
            assertThat(send(auth, "DELETE", "/v2/health/ready", null).statusCode()).isEqualTo(405);
            // unknown paths: 401 without a token (as before), 404 with it
            assertThat(send(auth, "GET", "/nothing-here", null).statusCode()).isEqualTo(401);
            assertError(send(auth, "GET", "/nothing-here", token), 404, 3042);
            // model control takes the admin token (none configured here: 403), also before its method is checked
            HttpResponse<String> control = send(auth, "GET", RestServer.CONTROL_PATH + "m/load", token);
            assertThat(control.statusCode()).isEqualTo(403);
            assertThat(control.headers().firstValue("Allow")).isEmpty();
        }
    }
}

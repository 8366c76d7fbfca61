package dev.argus.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Requests so broken that Jetty answers them before any route: still Cloudflare's envelope, and the server serves on. */
class MalformedRequestTest {

    private static String raw(TestServer s, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", s.server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode body(String response) throws Exception {
        return TestServer.JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void aMalformedUriGetsA400InTheEnvelope() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults())) {
            String response = raw(s, "POST /% HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(response).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/json");
            JsonNode env = body(response);
            assertThat(env.get("success").asBoolean()).isFalse();
            assertThat(env.get("result").isNull()).isTrue();
            assertThat(env.at("/errors/0/code").asInt()).isEqualTo(6003);
            assertThat(env.at("/errors/0/message").asText()).contains("malformed");
            assertThat(s.get("/v2/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aMalformedHeaderGetsA400InTheEnvelope() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults())) {
            String response = raw(s, "GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\nConnection: close\r\n\r\n");
            assertThat(response).startsWith("HTTP/1.1 400");
            assertThat(body(response).at("/errors/0/code").asInt()).isEqualTo(6003);
            assertThat(s.get("/v2/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void headersTooLargeGetA431InTheEnvelope() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults())) {
            String response = raw(s, "GET /v2/health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(response).startsWith("HTTP/1.1 431").containsIgnoringCase("Content-Type: application/json")
                    .doesNotContainIgnoringCase("Cache-Control");
            assertThat(body(response).at("/errors/0/code").asInt()).isEqualTo(6003);
            assertThat(body(response).at("/errors/0/message").asText()).isEqualTo("The HTTP request is malformed (431); "
                    + "check the request line, URL encoding and headers.");
            assertThat(s.get("/v2/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aRequestTargetNoRouteCanServeGetsTheRoutesOwn404() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults())) {
            String response = raw(s, "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(response).startsWith("HTTP/1.1 404");
            assertThat(body(response).at("/errors/0/code").asInt()).isEqualTo(3042);
            assertThat(body(response).at("/errors/0/message").asText()).startsWith("No route OPTIONS *.");
        }
    }

    @Test
    void encodedSlashesAndPercentSignsReachTheRoutesWhileIllegalCharactersAre400() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults())) {
            // an encoded '/' and an encoded '%' are part of a model's name: the route answers (the model is unknown)
            for (String path : new String[] {"/v2/models/microsoft%2Fresnet-50", "/v2/models/a%25b"}) {
                String response = raw(s, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(response).as(path).startsWith("HTTP/1.1 404");
                assertThat(body(response).get("error").asText()).as(path).contains("Unknown model");
            }
            // characters no client sends unencoded, and bytes that are not UTF-8, never reach a route
            for (String path : new String[] {"/v2/models/a|b", "/v2/models/a%FF%FE", "/v2/models/a%5Cb"}) {
                String response = raw(s, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(response).as(path).startsWith("HTTP/1.1 400");
                assertThat(body(response).at("/errors/0/code").asInt()).as(path).isEqualTo(6003);
            }
        }
    }
}

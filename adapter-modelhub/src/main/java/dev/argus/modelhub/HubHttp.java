package dev.argus.modelhub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Single HTTP exchanges with the Hub and its CDN. Redirects are followed by hand so that the token goes to the
 * endpoint's host only (a presigned CDN URL rejects a second credential, and must never see it) and so that the
 * Hub's own headers on the first response can be read.
 */
final class HubHttp {
    static final int MAX_REDIRECTS = 10;
    private static final String USER_AGENT = "argus-modelhub/0.1 java/" + Runtime.version().feature();

    private final HubConfig config;
    private final HttpClient client;

    HubHttp(HubConfig config) {
        this.config = config;
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** One HEAD, no redirects followed. */
    HttpResponse<Void> head(URI url) throws HubFailure, InterruptedException {
        HttpRequest request = request(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        return send(url, request, HttpResponse.BodyHandlers.discarding());
    }

    /**
     * GET, following redirects, from byte {@code offset} on (a Range request when {@code offset > 0}). A 200 or 206
     * response's body is a stream with the read timeout; any other status's body is left unread: close it. A redirect
     * loop, more than {@link #MAX_REDIRECTS} redirects or a redirect that cannot be followed fail at once.
     */
    HttpResponse<InputStream> get(URI url, long offset) throws HubFailure, InterruptedException {
        URI current = url;
        Set<URI> visited = new HashSet<>();
        for (int hop = 0; ; hop++) {
            visited.add(current);
            HttpRequest.Builder request = request(current).GET();
            if (offset > 0) {
                request.header("Range", "bytes=" + offset + "-");
            }
            // Any other status: the body is a stream the caller closes unread (a discarding subscriber would wait for
            // the end of an error page that never ends).
            HttpResponse<InputStream> response = send(current, request.build(), info ->
                    info.statusCode() == 200 || info.statusCode() == 206
                            ? new StallTimeoutSubscriber(config.readTimeout())
                            : BodySubscribers.ofInputStream());
            Optional<URI> next;
            try {
                next = redirectTarget(current, response);
            } catch (HubFailure | RuntimeException e) {
                closeQuietly(response.body());
                throw e;
            }
            if (next.isEmpty()) {
                return response;
            }
            closeQuietly(response.body());
            if (visited.contains(next.get())) {
                throw HubFailure.redirect(current, "redirect loop: " + shown(current) + " redirects back to "
                        + shown(next.get()));
            }
            if (hop == MAX_REDIRECTS) {
                throw HubFailure.redirect(current, "more than " + MAX_REDIRECTS + " redirects, the last to "
                        + shown(next.get()));
            }
            current = next.get();
        }
    }

    /** Where a 3xx response points, resolved against the request; empty when the response is no redirect. */
    Optional<URI> redirectTarget(URI from, HttpResponse<?> response) throws HubFailure {
        int status = response.statusCode();
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            return Optional.empty();
        }
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> HubFailure.redirect(from, "HTTP " + status + " without a Location header from "
                        + shown(from)));
        URI target;
        try {
            target = from.resolve(location.strip());
        } catch (IllegalArgumentException e) {
            throw HubFailure.redirect(from, "unusable redirect Location '" + printable(location.split("\\?", 2)[0])
                    + "' from " + shown(from));
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && "http".equalsIgnoreCase(from.getScheme()))) {
            throw HubFailure.redirect(from, "refusing redirect from " + from.getScheme() + " to '" + printable(scheme)
                    + "' (" + shown(from) + " redirects to " + printable(shown(target)) + ")");
        }
        return Optional.of(target);
    }

    /**
     * What a non-success status means. 401/403 from the Hub: a token is needed; 404 from the Hub: no such file; any
     * other 4xx from where the Hub redirected to (a CDN refusing a freshly signed link): a redirect that cannot work.
     * Only 408, 429 and 5xx are tried again.
     */
    HubFailure failure(HttpResponse<?> response) {
        URI uri = response.uri();
        int status = response.statusCode();
        String code = response.headers().firstValue("X-Error-Code").orElse(null);
        String message = response.headers().firstValue("X-Error-Message")
                .map(m -> m.replaceAll("\\p{Cntrl}", " ").strip())
                .map(m -> m.length() > 200 ? m.substring(0, 200) + "..." : m).orElse(null);
        String detail = "HTTP " + status + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message);
        boolean fromHub = isEndpointHost(uri);
        boolean retryable = status == 408 || status == 429 || status >= 500;
        if ((status == 401 || status == 403) && fromHub) {
            return HubFailure.status(HubFailure.Kind.AUTH, uri, status, false, null, detail);
        }
        if (status == 404 && fromHub) {
            return HubFailure.status(HubFailure.Kind.NOT_FOUND, uri, status, false, null, detail);
        }
        if (!fromHub && status >= 400 && status < 500 && !retryable) {
            return HubFailure.status(HubFailure.Kind.REDIRECT, uri, status, false, null, "the redirect target "
                    + HubFailure.hostOf(uri) + " answered " + detail + (status != 403 ? ""
                    : " (a storage service refuses a signed link it will not honour: check this machine's clock)"));
        }
        Duration retryAfter = Retrier.parseRetryAfter(response.headers().firstValue("Retry-After").orElse(null));
        return HubFailure.status(HubFailure.Kind.HTTP, uri, status, retryable, retryAfter, detail);
    }

    boolean isEndpointHost(URI uri) {
        URI endpoint = config.endpoint();
        return endpoint.getHost().equalsIgnoreCase(uri.getHost()) && port(endpoint) == port(uri)
                && endpoint.getScheme().equalsIgnoreCase(uri.getScheme());
    }

    private HttpRequest.Builder request(URI url) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                .timeout(config.readTimeout())
                .header("User-Agent", USER_AGENT)
                .header("Accept-Encoding", "identity");
        if (config.hasToken() && isEndpointHost(url)) {
            builder.header("Authorization", "Bearer " + config.token());
        }
        return builder;
    }

    private <T> HttpResponse<T> send(URI url, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws HubFailure, InterruptedException {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw HubFailure.io(url, e);
        }
    }

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing only cancels the rest of the body
        }
    }

    /** The URI without user info, query or fragment (a signed link's query is a credential): for messages. */
    static String shown(URI uri) {
        if (uri.getHost() == null) {
            return uri.getScheme() == null ? "a relative URI" : uri.getScheme() + ":...";
        }
        return uri.getScheme() + "://" + HubFailure.hostOf(uri) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static String printable(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", " ");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}

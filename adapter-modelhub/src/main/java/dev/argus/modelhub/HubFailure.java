package dev.argus.modelhub;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Why one exchange with the Hub (or its CDN) failed, and whether trying again may help. Internal: the source turns
 * it into an {@code ArgusException} with a message for people.
 */
final class HubFailure extends Exception {
    private static final long serialVersionUID = 1L;

    enum Kind {
        /** DNS, connect or read timeouts: the host cannot be reached. */
        UNREACHABLE,
        /** The connection broke (reset, closed mid-body, bad framing). */
        NETWORK,
        /** 401/403 from the Hub itself. */
        AUTH,
        /** 404. */
        NOT_FOUND,
        /** Any other HTTP status, or an answer that makes no sense. */
        HTTP,
        /** A redirect that cannot be followed, or whose target refuses the download: retrying does not help. */
        REDIRECT,
        /** An HTML page came back where a file was expected (a captive portal, a proxy's sign-in page). */
        WEB_PAGE,
        /** Writing the cache failed. */
        LOCAL_IO,
        /** Another process or thread held the file's cache lock, without progress, past the lock timeout. */
        LOCKED
    }

    private final Kind kind;
    private final String host;
    private final int status;
    private final boolean retryable;
    private final Duration retryAfter;
    private final int attempts;

    private HubFailure(Kind kind, String host, int status, boolean retryable, Duration retryAfter, String detail,
                       Throwable cause, int attempts) {
        super(detail, cause);
        this.kind = kind;
        this.host = host;
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
        this.attempts = attempts;
    }

    /** A network failure talking to {@code uri}; always worth another try. */
    static HubFailure io(URI uri, IOException e) {
        boolean unreachable = false;
        for (Throwable t = e; t != null && !unreachable; t = t.getCause()) {
            unreachable = t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof HttpTimeoutException
                    || t instanceof SocketTimeoutException;
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new HubFailure(unreachable ? Kind.UNREACHABLE : Kind.NETWORK, hostOf(uri), -1, true, null, detail, e,
                1);
    }

    static HubFailure status(Kind kind, URI uri, int status, boolean retryable, Duration retryAfter, String detail) {
        return new HubFailure(kind, hostOf(uri), status, retryable, retryAfter, detail, null, 1);
    }

    /** The server answered something unusable (a resume at the wrong byte); another try, from zero, may fix it. */
    static HubFailure protocol(URI uri, String detail) {
        return new HubFailure(Kind.HTTP, hostOf(uri), -1, true, null, detail, null, 1);
    }

    /** A redirect from {@code uri} that cannot work (no Location, a loop, another scheme); never retried. */
    static HubFailure redirect(URI uri, String detail) {
        return new HubFailure(Kind.REDIRECT, hostOf(uri), -1, false, null, detail, null, 1);
    }

    /** {@code uri} answered {@code status} with a web page, {@code detail} saying which; never retried. */
    static HubFailure webPage(URI uri, int status, String detail) {
        return new HubFailure(Kind.WEB_PAGE, hostOf(uri), status, false, null, detail, null, 1);
    }

    static HubFailure locked(String detail) {
        return new HubFailure(Kind.LOCKED, null, -1, false, null, detail, null, 1);
    }

    static HubFailure localIo(Path file, IOException e) {
        return new HubFailure(Kind.LOCAL_IO, null, -1, false, null, "cannot write " + file + " ("
                + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e, 1);
    }

    HubFailure afterAttempts(int n) {
        HubFailure copy = new HubFailure(kind, host, status, retryable, retryAfter, getMessage(), getCause(), n);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    Kind kind() {
        return kind;
    }

    /** {@code host[:port]} that failed, or {@code null} for local failures. */
    String host() {
        return host;
    }

    /** The HTTP status, or -1 when there was none. */
    int status() {
        return status;
    }

    boolean retryable() {
        return retryable;
    }

    /** What the server asked for in {@code Retry-After}, or {@code null}. */
    Duration retryAfter() {
        return retryAfter;
    }

    int attempts() {
        return attempts;
    }

    static String hostOf(URI uri) {
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }
}

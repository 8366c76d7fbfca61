package dev.argus.modelhub;

import dev.argus.domain.ArgusException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** The messages people read when a Hub file cannot be had: what went wrong, and what to do instead. */
final class HubMessages {
    private final HubConfig config;
    private final HubLocation location;
    private final URI url;
    private final Path target;

    HubMessages(HubConfig config, HubLocation location, Path target) {
        this.config = config;
        this.location = location;
        this.url = location.downloadUri(config.endpoint());
        this.target = target;
    }

    URI url() {
        return url;
    }

    ArgusException offline(String cacheProblem) {
        return unavailable("offline mode is on and " + (cacheProblem == null ? "the file is not in the cache"
                : "the cached copy cannot be used: " + cacheProblem) + ". " + doItYourself(), null);
    }

    ArgusException failure(HubFailure f) {
        String host = f.host();
        String tries = f.attempts() > 1 ? " after " + f.attempts() + " attempts" : "";
        return switch (f.kind()) {
            case UNREACHABLE -> unavailable(host + " is unreachable (" + f.getMessage() + ")" + tries + ". "
                    + doItYourself(), f);
            case NETWORK -> unavailable("the connection to " + host + " kept failing (" + f.getMessage() + ")"
                    + tries + ". " + doItYourself(), f);
            case AUTH -> unavailable(host + " answered " + f.getMessage() + " for " + url + ". " + tokenAdvice(), f);
            case NOT_FOUND -> unavailable("no such file: " + host + " answered " + f.getMessage() + " for " + url
                    + ". Check the location: repository " + location.owner() + "/" + location.repo() + ", path '"
                    + location.path() + "', revision '" + location.revision() + "' (browse " + repoPage()
                    + "/tree/" + location.revision() + ").", f);
            case HTTP -> unavailable(host + " answered " + (f.status() > 0 ? f.getMessage() + " for " + url
                    : "something unusable: " + f.getMessage()) + tries + "."
                    + (f.retryable() ? " The Hub may be down or limiting requests; try again later, or: " : " ")
                    + doItYourself(), f);
            case REDIRECT -> unavailable("the download of " + url + " cannot follow its redirect: " + f.getMessage()
                    + ". Retrying will not help. Check the Hub endpoint (" + config.endpoint() + ") and any proxy or "
                    + "firewall between here and " + host + "; or: " + doItYourself(), f);
            case WEB_PAGE -> unavailable(host + " sent " + f.getMessage() + " instead of " + url + ". Something "
                    + "between here and " + config.endpointHost() + " answers in the Hub's place, such as a captive "
                    + "portal, a proxy's sign-in page or an error page: sign in to the network or fix the proxy "
                    + "settings (and check the Hub endpoint " + config.endpoint() + "), then try again. Nothing was "
                    + "cached. Or: " + doItYourself(), f);
            case LOCAL_IO -> unavailable(f.getMessage() + ". Check free disk space and that the cache directory "
                    + config.cacheDir() + " is writable, or set argus.model=/path/to/model.onnx.", f);
            case LOCKED -> unavailable(f.getMessage() + ". If the holder is stuck, stop it and try again (a lock is "
                    + "released when its process ends); to wait longer, raise the lock timeout (HubConfig.lockTimeout, "
                    + "now " + duration(config.lockTimeout()) + "); or set argus.model=/path/to/model.onnx.", f);
        };
    }

    ArgusException corrupt(String mismatch, String hashSource) {
        String against = switch (hashSource) {
            case "pin" -> "the #sha256 pin in the location";
            case "hub" -> "the SHA-256 the Hub published (X-Linked-Etag)";
            default -> "the size the Hub published";
        };
        return unavailable(mismatch + ", checked against " + against + ", on two downloads; nothing was kept. "
                + ("pin".equals(hashSource) ? "Check the pin and the revision, or " : "Something between here and "
                + config.endpointHost() + " may be altering downloads: try again later, or ") + doItYourself(), null);
    }

    ArgusException pinDisagrees(RemoteFile remote) {
        String commit = remote.commit() == null ? "" : " (commit " + remote.commit() + ")";
        return unavailable("checksum mismatch: the location pins sha256 " + location.sha256() + " but the Hub "
                + "publishes " + remote.sha256() + " for revision '" + location.revision() + "'" + commit + ". The "
                + "file changed upstream or the pin is wrong: fix the pin, or pin the revision it was taken from "
                + "(" + HubLocation.SCHEME + location.owner() + "/" + location.repo() + "/" + location.path()
                + "@REVISION#sha256=" + location.sha256() + ").", null);
    }

    ArgusException interrupted() {
        return unavailable("interrupted. " + doItYourself(), null);
    }

    private String tokenAdvice() {
        String repo = location.owner() + "/" + location.repo();
        return config.hasToken()
                ? "The token was not accepted for " + repo + ": check that HF_TOKEN is valid and can read the "
                + "repository, and if the model is gated, accept its terms at " + repoPage() + "."
                : "The repository needs a token: set HF_TOKEN to a Hugging Face access token that can read " + repo
                + " (if the model is gated, accept its terms at " + repoPage() + " first). If there is no such "
                + "repository, check the location.";
    }

    private String doItYourself() {
        return "Download " + url + " yourself and either place it at " + target
                + " or set argus.model=/path/to/model.onnx.";
    }

    private String repoPage() {
        return config.endpoint() + "/" + location.owner() + "/" + location.repo();
    }

    private ArgusException unavailable(String what, Throwable cause) {
        return ArgusException.modelUnavailable("Cannot download " + location.display() + ": " + what, cause);
    }

    /** 250 ms, 30 s, 5 min: a timeout as people write it. */
    static String duration(Duration d) {
        long millis = d.toMillis();
        if (millis < 1_000 || millis % 1_000 != 0) {
            return millis + " ms";
        }
        long seconds = millis / 1_000;
        return seconds % 60 != 0 ? seconds + " s" : seconds / 60 + " min";
    }

    /** 102.5 MB, 26.1 kB, 12 bytes; decimal units like the Hub shows. */
    static String size(long bytes) {
        if (bytes < 0) {
            return "size unknown";
        }
        if (bytes < 1_000) {
            return bytes + " bytes";
        }
        double value = bytes;
        String[] units = {"kB", "MB", "GB", "TB"};
        int unit = -1;
        while (value >= 1_000 && unit < units.length - 1) {
            value /= 1_000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}

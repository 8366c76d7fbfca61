package dev.argus.modelhub;

import dev.argus.ports.out.ModelSource.ProgressListener;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks the Hub about a file (HEAD) and downloads it into a {@code .part} file, resuming and retrying. An HTML page in
 * the file's place (a captive portal) is refused, never written.
 */
final class HubDownloader {
    private static final System.Logger LOG = System.getLogger(HubDownloader.class.getName());
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes\\s+\\*/(\\d+)");

    private final HubHttp http;
    private final Retrier retrier;

    HubDownloader(HubHttp http, Retrier retrier) {
        this.http = http;
        this.retrier = retrier;
    }

    /**
     * The Hub's facts about the file, read from the first response (HEAD, redirects not followed, except relative
     * ones on the Hub itself such as a renamed repository). {@link RemoteFile#UNKNOWN} if HEAD is not supported.
     */
    RemoteFile head(URI url) throws HubFailure, InterruptedException {
        return retrier.call("HEAD " + url, () -> {
            URI current = url;
            String commit = null;
            for (int hop = 0; ; hop++) {
                HttpResponse<Void> response = http.head(current);
                HttpHeaders headers = response.headers();
                commit = commit != null ? commit : headers.firstValue("X-Repo-Commit").orElse(null);
                String linkedEtag = headers.firstValue("X-Linked-Etag").orElse(null);
                Optional<URI> next = http.redirectTarget(current, response);
                if (next.isPresent() && linkedEtag == null && hop < HubHttp.MAX_REDIRECTS
                        && http.isEndpointHost(next.get())) {
                    current = next.get();
                    continue;
                }
                int status = response.statusCode();
                if (status >= 200 && status < 400) {
                    boolean direct = status < 300;
                    if (direct) {
                        WebPageCheck.refuseHtmlType(url, response);
                    }
                    String sha256 = Sha256.fromEtag(linkedEtag != null ? linkedEtag
                            : direct ? headers.firstValue("ETag").orElse(null) : null);
                    long size = headers.firstValueAsLong("X-Linked-Size")
                            .orElse(direct ? headers.firstValueAsLong("Content-Length").orElse(-1) : -1);
                    return new RemoteFile(sha256, size, commit);
                }
                if (status == 405 || status == 501) {
                    return RemoteFile.UNKNOWN;
                }
                throw http.failure(response);
            }
        });
    }

    /**
     * Downloads into {@code part}, resuming what is there with a Range request. Returns the hash and size of the
     * whole {@code .part}; does not judge them. When the attempts run out but the {@code .part} grew past its
     * longest length so far, the download gets a fresh set of attempts: a flaky link that keeps making progress
     * finishes, one that makes none fails after {@code maxAttempts}.
     */
    Transfer download(URI url, Path part, long expectedSize, ProgressListener progress)
            throws HubFailure, InterruptedException {
        long longest = PartFile.existingLength(part);
        while (true) {
            try {
                return retrier.call("Download of " + url, () -> attempt(url, part, expectedSize, progress));
            } catch (HubFailure failure) {
                long length = PartFile.existingLength(part);
                if (!failure.retryable() || length <= longest) {
                    throw failure;
                }
                LOG.log(Level.WARNING, "Download of {0} is making progress ({1} bytes so far); trying again", url,
                        String.valueOf(length));
                longest = length;
            }
        }
    }

    private Transfer attempt(URI url, Path part, long expectedSize, ProgressListener progress)
            throws HubFailure, InterruptedException {
        long offset = PartFile.existingLength(part);
        if (expectedSize >= 0 && offset > expectedSize) {
            PartFile.delete(part);
            offset = 0;
        }
        MessageDigest digest = Sha256.newDigest();
        hashPrefix(digest, part, offset);
        if (expectedSize >= 0 && offset == expectedSize && offset > 0) {
            return new Transfer(Sha256.hex(digest), offset, 0);
        }
        HttpResponse<InputStream> response = http.get(url, offset);
        try (InputStream raw = response.body()) {
            int status = response.statusCode();
            if (status == 200 && offset > 0) {
                LOG.log(Level.INFO, "{0} ignored the Range request; downloading from the start",
                        HubFailure.hostOf(response.uri()));
                offset = 0;
                digest.reset();
            } else if (status == 206) {
                checkResumedAt(response, part, offset);
            } else if (status == 416 && offset > 0) {
                return rangeNotSatisfiable(response, part, offset, digest);
            } else if (status != 200) {
                throw http.failure(response);
            }
            InputStream body = WebPageCheck.refuseHtml(url, response, raw, status == 200);
            long total = expectedSize >= 0 ? expectedSize : totalSize(response, offset);
            long received = copy(body, response.uri(), part, offset, total, digest, new ProgressThrottle(progress, total));
            return new Transfer(Sha256.hex(digest), offset + received, received);
        } catch (IOException closeFailed) {
            throw HubFailure.io(response.uri(), closeFailed);
        }
    }

    /** Largest file accepted when the server announces no size (ONNX files with weights inside stay below 2 GiB). */
    static final long MAX_UNANNOUNCED_BYTES = 16L << 30;

    /** Free space left on the cache's volume below which a download stops rather than fill it. */
    static final long MIN_FREE_BYTES = 256L << 20;

    /** Slowest transfer accepted, averaged over {@link #RATE_WINDOW_NANOS}: below it the download is given up. */
    static final long MIN_BYTES_PER_SECOND = 1024;
    static final long RATE_WINDOW_NANOS = 60_000_000_000L;

    private static final long SPACE_CHECK_BYTES = 64L << 20;

    /**
     * Copies the body into the {@code .part}. Stops, without retrying, when the server sends more than it announced
     * ({@code total}, or {@link #MAX_UNANNOUNCED_BYTES} when it announced nothing), when the volume would be left
     * with less than {@link #MIN_FREE_BYTES}, and when fewer than {@link #MIN_BYTES_PER_SECOND} arrive per second over
     * a minute (a trickle that the read timeout never catches).
     */
    private static long copy(InputStream body, URI from, Path part, long offset, long total, MessageDigest digest,
                             ProgressThrottle progress) throws HubFailure {
        long limit = total >= 0 ? total : MAX_UNANNOUNCED_BYTES;
        long received = 0;
        long sinceSpaceCheck = SPACE_CHECK_BYTES;
        long windowStart = System.nanoTime();
        long windowBytes = 0;
        byte[] buffer = new byte[1 << 16];
        try (PartFile out = PartFile.open(part, offset)) {
            progress.update(offset, true);
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    throw HubFailure.io(from, e);
                }
                if (n < 0) {
                    break;
                }
                if (offset + received + n > limit) {
                    PartFile.delete(part);
                    throw HubFailure.status(HubFailure.Kind.HTTP, from, -1, false, null, "the server sent more than the "
                            + limit + " bytes " + (total >= 0 ? "it announced" : "accepted for a file of unannounced size"));
                }
                if (sinceSpaceCheck >= SPACE_CHECK_BYTES) {
                    sinceSpaceCheck = 0;
                    checkFreeSpace(part, total >= 0 ? total - offset - received : 0);
                }
                out.write(buffer, n);
                digest.update(buffer, 0, n);
                received += n;
                sinceSpaceCheck += n;
                windowBytes += n;
                long now = System.nanoTime();
                if (now - windowStart >= RATE_WINDOW_NANOS) {
                    if (windowBytes * 1_000_000_000L / (now - windowStart) < MIN_BYTES_PER_SECOND) {
                        throw HubFailure.status(HubFailure.Kind.NETWORK, from, -1, false, null, "the download ran slower than "
                                + MIN_BYTES_PER_SECOND + " bytes/s for a minute (" + windowBytes + " bytes); try again later"
                                + " or fetch the file another way and pin it");
                    }
                    windowStart = now;
                    windowBytes = 0;
                }
                progress.update(offset + received, false);
            }
        }
        progress.update(offset + received, true);
        return received;
    }

    /** Fails when the volume holding {@code part} has room for less than {@code still} more bytes plus the floor. */
    private static void checkFreeSpace(Path part, long still) throws HubFailure {
        long free;
        try {
            free = Files.getFileStore(part.toAbsolutePath().getParent()).getUsableSpace();
        } catch (IOException e) {
            return; // unknown: the write itself reports a full volume
        }
        if (free - Math.max(0, still) < MIN_FREE_BYTES) {
            throw HubFailure.localIo(part, new IOException("only " + (free >> 20) + " MiB free on its volume"
                    + (still > 0 ? " for " + (still >> 20) + " MiB still to download" : "") + "; Argus keeps "
                    + (MIN_FREE_BYTES >> 20) + " MiB free. Free space or set another cache directory"));
        }
    }

    private static void hashPrefix(MessageDigest digest, Path part, long length) throws HubFailure {
        try {
            Sha256.update(digest, part, length);
        } catch (IOException e) {
            throw HubFailure.localIo(part, e);
        }
    }

    /** A 206 must continue exactly where the {@code .part} ends; otherwise the next try starts from zero. */
    private static void checkResumedAt(HttpResponse<?> response, Path part, long offset) throws HubFailure {
        String range = response.headers().firstValue("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(range);
        if (!m.matches() || Long.parseLong(m.group(1)) != offset) {
            PartFile.delete(part);
            throw HubFailure.protocol(response.uri(), "asked to resume at byte " + offset + " but got Content-Range '"
                    + range + "'");
        }
        LOG.log(Level.INFO, "Resuming download at byte {0}", String.valueOf(offset));
    }

    /** 416: complete already if the server's size equals what we have, otherwise start over. */
    private static Transfer rangeNotSatisfiable(HttpResponse<?> response, Path part, long offset,
                                                MessageDigest digest) throws HubFailure {
        Matcher m = UNSATISFIED_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
        if (m.matches() && Long.parseLong(m.group(1)) == offset) {
            return new Transfer(Sha256.hex(digest), offset, 0);
        }
        PartFile.delete(part);
        throw HubFailure.protocol(response.uri(), "HTTP 416 for a resume at byte " + offset + "; starting over");
    }

    private static long totalSize(HttpResponse<?> response, long offset) {
        if (response.statusCode() == 206) {
            Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
            return m.matches() && !m.group(3).equals("*") ? Long.parseLong(m.group(3)) : -1;
        }
        return response.headers().firstValueAsLong("Content-Length").orElse(-1);
    }

    /** Calls the listener at most every 100 ms, and always at the start and end. */
    private static final class ProgressThrottle {
        private static final long INTERVAL_NANOS = 100_000_000L;
        private final ProgressListener listener;
        private final long total;
        private long last;

        ProgressThrottle(ProgressListener listener, long total) {
            this.listener = listener;
            this.total = total;
        }

        void update(long done, boolean force) {
            long now = System.nanoTime();
            if (force || now - last >= INTERVAL_NANOS) {
                last = now;
                listener.progress(done, total);
            }
        }
    }
}

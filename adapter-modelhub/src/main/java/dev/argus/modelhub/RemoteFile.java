package dev.argus.modelhub;

/**
 * What the Hub says about a file before it is downloaded.
 *
 * @param sha256 SHA-256 from {@code X-Linked-Etag} (LFS files), lower-case hex, or {@code null}
 * @param size   bytes from {@code X-Linked-Size} or {@code Content-Length}, or -1
 * @param commit the commit the revision resolved to ({@code X-Repo-Commit}), or {@code null}
 */
record RemoteFile(String sha256, long size, String commit) {
    static final RemoteFile UNKNOWN = new RemoteFile(null, -1, null);
}

package dev.argus.modelhub;

import dev.argus.domain.ArgusException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file in a Hugging Face Hub model repository: {@code hf://OWNER/REPO/PATH/IN/REPO[@REVISION][#sha256=HEX]}, e.g.
 * {@code hf://Xenova/resnet-50/onnx/model.onnx}. The revision defaults to {@code main}; the optional pin is the
 * file's expected SHA-256 (lower case).
 *
 * @param owner    user or organisation, e.g. {@code Xenova}
 * @param repo     repository name, e.g. {@code resnet-50}
 * @param path     path inside the repository, {@code /}-separated, e.g. {@code onnx/model.onnx}
 * @param revision branch, tag or commit, e.g. {@code main}, {@code v1.0}, {@code refs/pr/1}
 * @param sha256   expected SHA-256 in lower-case hex, or {@code null} when not pinned
 */
public record HubLocation(String owner, String repo, String path, String revision, String sha256) {

    public static final String SCHEME = "hf://";
    public static final String SYNTAX = "hf://OWNER/REPO/PATH/IN/REPO[@REVISION][#sha256=HEX]";
    public static final String EXAMPLE = "hf://Xenova/resnet-50/onnx/model.onnx";
    public static final String DEFAULT_REVISION = "main";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern BAD_PATH_CHARS = Pattern.compile("[\\\\:*?\"<>|\\p{Cntrl}]");

    public HubLocation {
        check(owner != null && NAME.matcher(owner).matches() && !owner.contains(".."), "bad owner '" + owner + "'");
        check(repo != null && NAME.matcher(repo).matches() && !repo.contains(".."),
                "bad repository name '" + repo + "'");
        check(path != null && !path.isEmpty(), "the path inside the repository is missing");
        for (String segment : path.split("/", -1)) {
            check(!segment.isEmpty() && !segment.equals(".") && !segment.equals(".."),
                    "bad path '" + path + "' (empty, '.' or '..' segment)");
            check(!BAD_PATH_CHARS.matcher(segment).find(), "unsupported character in path '" + path + "'");
        }
        revision = revision == null ? DEFAULT_REVISION : revision;
        check(REVISION.matcher(revision).matches() && java.util.Arrays.stream(revision.split("/"))
                .noneMatch(s -> s.equals(".") || s.equals("..")), "bad revision '" + revision + "'");
        check(!revision.contains(".."), "bad revision '" + revision + "'");
        if (sha256 != null) {
            sha256 = sha256.toLowerCase(Locale.ROOT);
            check(SHA256.matcher(sha256).matches(), "the sha256 pin must be 64 hex digits");
        }
    }

    /** Whether the string is meant as a Hub location (it may still be malformed; {@link #parse} says how). */
    public static boolean isHubLocation(String location) {
        return location != null && location.regionMatches(true, 0, "hf:", 0, 3);
    }

    /** @throws ArgusException {@code CONFIGURATION} saying what is wrong and showing the syntax */
    public static HubLocation parse(String location) {
        try {
            return doParse(Objects.requireNonNull(location, "location").strip());
        } catch (IllegalArgumentException e) {
            throw ArgusException.configuration("Invalid model location '" + location + "': " + e.getMessage()
                    + ". Expected " + SYNTAX + ", e.g. " + EXAMPLE + ".");
        }
    }

    private static HubLocation doParse(String location) {
        check(location.regionMatches(true, 0, SCHEME, 0, SCHEME.length()), "it must start with " + SCHEME);
        String rest = location.substring(SCHEME.length());
        String pin = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            String fragment = rest.substring(hash + 1);
            check(fragment.regionMatches(true, 0, "sha256=", 0, 7), "the only supported suffix is #sha256=HEX");
            pin = fragment.substring(7);
            rest = rest.substring(0, hash);
        }
        check(rest.indexOf('?') < 0, "query strings are not supported");
        String revision = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            revision = rest.substring(at + 1);
            check(!revision.isEmpty(), "the revision after '@' is empty");
            rest = rest.substring(0, at);
        }
        List<String> parts = List.of(rest.split("/", 3));
        check(parts.size() == 3 && !parts.get(2).isEmpty(), "it needs an owner, a repository and a file path");
        return new HubLocation(parts.get(0), parts.get(1), parts.get(2), revision, pin);
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** {@code {endpoint}/{owner}/{repo}/resolve/{revision}/{path}}, each part percent-encoded. */
    public URI downloadUri(URI endpoint) {
        String base = endpoint.toString().replaceAll("/+$", "");
        StringBuilder uri = new StringBuilder(base).append('/').append(owner).append('/').append(repo)
                .append("/resolve/").append(encode(revision));
        for (String segment : path.split("/")) {
            uri.append('/').append(encode(segment));
        }
        return URI.create(uri.toString());
    }

    /** {@code <cacheDir>/<owner>/<repo>/<revision>/<path>}; a {@code /} in the revision becomes {@code %2F}. */
    public Path cachePath(Path cacheDir) {
        Path dir = cacheDir.resolve(owner).resolve(repo).resolve(revision.replace("/", "%2F"));
        for (String segment : path.split("/")) {
            dir = dir.resolve(segment);
        }
        return dir;
    }

    /** The location without the pin, for messages: {@code hf://owner/repo/path[@revision]}. */
    public String display() {
        return SCHEME + owner + '/' + repo + '/' + path + (revision.equals(DEFAULT_REVISION) ? "" : '@' + revision);
    }

    @Override
    public String toString() {
        return display() + (sha256 == null ? "" : "#sha256=" + sha256);
    }

    private static String encode(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}

package dev.argus.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * Checks {@code Authorization: Bearer <token>}. Only SHA-256 digests of the tokens are kept; the presented token is
 * digested and compared with every configured digest in constant time ({@link MessageDigest#isEqual}), without an
 * early exit, so neither the token's content nor its length nor which token matched shows in the timing. Tokens are
 * never logged.
 */
final class BearerAuth {
    private final List<byte[]> digests;

    BearerAuth(Set<String> tokens) {
        this.digests = tokens.stream().map(BearerAuth::sha256).toList();
    }

    boolean enabled() {
        return !digests.isEmpty();
    }

    boolean allows(String authorizationHeader) {
        if (!enabled()) {
            return true;
        }
        if (authorizationHeader == null || authorizationHeader.length() < 7
                || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = sha256(authorizationHeader.substring(7).trim());
        boolean ok = false;
        for (byte[] d : digests) {
            ok |= MessageDigest.isEqual(d, presented);
        }
        return ok;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

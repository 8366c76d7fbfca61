package dev.argus.rest;

import dev.argus.domain.ArgusException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/**
 * An in-memory key store from PEM files, the form certificates come in (cert-manager, Let's Encrypt, openssl): a
 * certificate chain and a PKCS#8 private key (RSA, EC or Ed25519). Jetty wants a {@link KeyStore}.
 */
final class PemKeyStore {
    static final String ALIAS = "argus";
    static final char[] PASSWORD = new char[0];

    private PemKeyStore() {
    }

    static KeyStore load(Path certChain, Path privateKey) {
        try {
            Collection<? extends Certificate> chain;
            try (InputStream in = Files.newInputStream(certChain)) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (chain.isEmpty()) {
                throw ArgusException.configuration("REST TLS certificate chain " + certChain + " holds no PEM certificate.");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key(privateKey), PASSWORD, chain.toArray(Certificate[]::new));
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw ArgusException.configuration("Cannot use the REST TLS certificate " + certChain + " and key " + privateKey + ": "
                    + e.getMessage() + " (PEM certificate chain and PEM PKCS#8 private key expected)");
        }
    }

    private static PrivateKey key(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")) {
            throw ArgusException.configuration("REST TLS key " + file + " is in the traditional (PKCS#1/SEC1) form; convert it to "
                    + "PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw ArgusException.configuration("REST TLS key " + file + " holds no unencrypted PEM PKCS#8 key (-----BEGIN PRIVATE KEY-----).");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }
}

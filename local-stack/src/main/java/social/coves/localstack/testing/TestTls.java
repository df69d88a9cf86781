package social.coves.localstack.testing;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A self-signed TLS certificate for tests, made by the running JDK's {@code keytool} (an EC P-256 key, valid 7 days),
 * with its files: a PKCS12 key store ({@link #keyStore()}, {@link #keyStorePassword()}), the certificate as PEM
 * ({@link #certificatePem()}: what a client is told to trust, e.g. Node's {@code NODE_EXTRA_CA_CERTS}) and the
 * private key as unencrypted PKCS#8 PEM ({@link #privateKeyPem()}). A Quarkus test can serve HTTPS with either
 * <pre>{@code
 * quarkus.http.ssl.certificate.files=<certificatePem>   quarkus.http.ssl.certificate.key-files=<privateKeyPem>
 * quarkus.http.ssl.certificate.key-store-file=<keyStore> quarkus.http.ssl.certificate.key-store-password=<password>
 * }</pre>
 *
 * <p>{@link #shared()} is the one of the test JVM for the OAuth client host {@value #HOSTNAME} (SAN
 * {@code dns:appview.coves-e2e.net}, {@code dns:localhost}, {@code ip:127.0.0.1}): a real domain-shaped name, because
 * the PDS's OAuth provider refuses client ids on {@code localhost}, IP literals and local TLDs ({@code .test},
 * {@code .local}, {@code .example}, ...). The shared PDS stack ({@link SharedPdsStack}) resolves that name to
 * 127.0.0.1 and trusts this certificate. {@link TestHttpsHost} makes its own {@code localhost} certificates with
 * {@link #generate}. Nothing here trusts all certificates: {@link #clientContext()} trusts this one only.
 */
public final class TestTls {

    /** The host name of {@link #shared()}: where tests serve an OAuth client (the AppView) over HTTPS. */
    public static final String HOSTNAME = "appview.coves-e2e.net";

    private static TestTls shared;

    private final String hostname;
    private final Path dir;
    private final Path keyStore;
    private final String password;
    private final Path certificatePem;
    private final Path privateKeyPem;
    private final KeyStore keys;

    private TestTls(String hostname, Path dir, Path keyStore, String password, Path certificatePem,
                    Path privateKeyPem, KeyStore keys) {
        this.hostname = hostname;
        this.dir = dir;
        this.keyStore = keyStore;
        this.password = password;
        this.certificatePem = certificatePem;
        this.privateKeyPem = privateKeyPem;
        this.keys = keys;
    }

    /** One certificate per test JVM for {@value #HOSTNAME}, localhost and 127.0.0.1; its files go when the JVM exits. */
    public static synchronized TestTls shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("coves-test-tls-");
                TestTls made = generate(dir, HOSTNAME, List.of(HOSTNAME, "localhost"), List.of("127.0.0.1"));
                Runtime.getRuntime().addShutdownHook(new Thread(made::deleteFiles, "test-tls-cleanup"));
                shared = made;
            } catch (IOException e) {
                throw new IllegalStateException("cannot make the shared test certificate: " + e, e);
            }
        }
        return shared;
    }

    /**
     * A new self-signed certificate for {@code hostname} (its CN and first SAN entry) with the extra SAN names
     * {@code dnsNames} and {@code ipAddresses}, its files written into {@code dir} (which the caller deletes).
     */
    public static TestTls generate(Path dir, String hostname, List<String> dnsNames, List<String> ipAddresses) {
        List<String> san = new ArrayList<>();
        san.add("dns:" + hostname);
        dnsNames.stream().filter(n -> !n.equalsIgnoreCase(hostname)).forEach(n -> san.add("dns:" + n));
        ipAddresses.forEach(ip -> san.add("ip:" + ip));
        String password = UUID.randomUUID().toString();
        String alias = "test";
        Path keyStore = dir.resolve(hostname + ".p12");
        Path log = dir.resolve(hostname + ".keytool.log");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair",
                    "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", password,
                    "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=" + hostname, "-ext", "SAN=" + String.join(",", san), "-validity", "7"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("keytool failed (" + process.exitValue() + "): " + Files.readString(log));
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                keys.load(in, password.toCharArray());
            }
            // one entry under a known alias, so that any tool reading the store finds it
            X509Certificate certificate = (X509Certificate) keys.getCertificate(alias);
            PrivateKey key = (PrivateKey) keys.getKey(alias, password.toCharArray());
            Path certificatePem = dir.resolve(hostname + ".pem");
            Path privateKeyPem = dir.resolve(hostname + ".key.pem");
            Files.writeString(certificatePem, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
            Files.writeString(privateKeyPem, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
            ownerOnly(privateKeyPem);
            ownerOnly(keyStore);
            return new TestTls(hostname, dir, keyStore, password, certificatePem, privateKeyPem, keys);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test certificate for " + hostname + " with " + keytool
                    + " (log: " + log + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool made a certificate for " + hostname, e);
        }
    }

    /** The name the certificate is for (its CN and first SAN entry): {@value #HOSTNAME} for {@link #shared()}. */
    public String hostname() {
        return hostname;
    }

    /** The certificate as PEM: what clients are told to trust. */
    public Path certificatePem() {
        return certificatePem;
    }

    /** The private key as unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), readable by its owner only. */
    public Path privateKeyPem() {
        return privateKeyPem;
    }

    /** The key and certificate as a PKCS12 key store (one entry, alias {@code test}). */
    public Path keyStore() {
        return keyStore;
    }

    public String keyStorePassword() {
        return password;
    }

    /** The loaded key store of {@link #keyStore()}. */
    public KeyStore loadedKeyStore() {
        return keys;
    }

    /** A server-side TLS context presenting this certificate (e.g. for the JDK's {@code HttpsServer}). */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keyManagers.getKeyManagers(), null, null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context from " + keyStore + ": " + e, e);
        }
    }

    /** A client-side TLS context that trusts this certificate and nothing else (e.g. for Java's HttpClient). */
    public SSLContext clientContext() {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("test", keys.getCertificate("test"));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return tls;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trusting TLS context for " + hostname + ": " + e, e);
        }
    }

    /** Deletes the folder holding this certificate's files (best effort). */
    public void deleteFiles() {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }

    @Override
    public String toString() {
        return "TestTls[" + hostname + ", " + certificatePem + "]";
    }

    private static String pem(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: leave it
        }
    }
}

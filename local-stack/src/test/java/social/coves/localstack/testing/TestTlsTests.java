package social.coves.localstack.testing;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test certificates: their names and files, and HTTPS with them (TestHttpsHost uses the same generator). */
class TestTlsTests {

    @Test
    void theSharedCertificateNamesTheAppViewHostLocalhostAndTheLoopbackAddress() throws Exception {
        TestTls tls = TestTls.shared();
        assertThat(tls).isSameAs(TestTls.shared());
        assertThat(tls.hostname()).isEqualTo("appview.coves-e2e.net");

        X509Certificate certificate = readCertificate(tls.certificatePem());
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=appview.coves-e2e.net");
        assertThat(sanValues(certificate))
                .containsExactlyInAnyOrder("appview.coves-e2e.net", "localhost", "127.0.0.1");
        certificate.checkValidity();
    }

    @Test
    void thePemKeyAndTheKeyStoreHoldTheCertificatesKey() throws Exception {
        TestTls tls = TestTls.shared();
        X509Certificate certificate = readCertificate(tls.certificatePem());

        String pem = Files.readString(tls.privateKeyPem(), StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder()
                .decode(pem.replaceAll("-----[A-Z ]+-----", ""))));
        assertThat(signsFor(key, certificate)).isTrue();
        assertThat(Files.getPosixFilePermissions(tls.privateKeyPem()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.keyStore())) {
            store.load(in, tls.keyStorePassword().toCharArray());
        }
        assertThat(store.getCertificate("test")).isEqualTo(certificate);
        assertThat(signsFor((PrivateKey) store.getKey("test", tls.keyStorePassword().toCharArray()), certificate)).isTrue();
    }

    @Test
    void aHostServingTheSharedCertificateIsTrustedByItsClientContextOnly() throws Exception {
        try (TestHttpsHost host = TestHttpsHost.start(0, TestTls.shared())) {
            host.serve("/x", 200, "hello");
            assertThat(host.domain()).isEqualTo("appview.coves-e2e.net:" + host.port());
            // the JDK cannot map appview.coves-e2e.net to 127.0.0.1; the certificate also names localhost
            URI uri = URI.create("https://localhost:" + host.port() + "/x");

            assertThat(get(TestTls.shared().clientContext(), uri).body()).isEqualTo("hello");
            assertThatThrownBy(() -> get(SSLContext.getDefault(), uri)).isInstanceOf(SSLHandshakeException.class);
            assertThat(host.hits("/x")).isEqualTo(1);
        }
    }

    @Test
    void aHostWithItsOwnCertificateIsForLocalhostAndDeletesItsFilesOnClose() throws Exception {
        Path pem;
        try (TestHttpsHost host = TestHttpsHost.start()) {
            host.serve("/y", 200, "own");
            pem = host.certificatePem();
            X509Certificate certificate = readCertificate(pem);
            assertThat(sanValues(certificate))
                    .containsExactlyInAnyOrder("localhost", "127.0.0.1");
            assertThat(host.domain()).isEqualTo("localhost:" + host.port());
            assertThat(get(host.tls().clientContext(), URI.create("https://" + host.domain() + "/y")).body())
                    .isEqualTo("own");
        }
        assertThat(pem).doesNotExist();
    }

    private static List<Object> sanValues(X509Certificate certificate) throws Exception {
        return certificate.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)).toList();
    }

    private static HttpResponse<String> get(SSLContext tls, URI uri) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
        return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static X509Certificate readCertificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static boolean signsFor(PrivateKey key, X509Certificate certificate) throws Exception {
        byte[] data = "proof".getBytes(StandardCharsets.US_ASCII);
        Signature sign = Signature.getInstance("SHA256withECDSA");
        sign.initSign(key);
        sign.update(data);
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(certificate.getPublicKey());
        verify.update(data);
        return verify.verify(signature);
    }
}

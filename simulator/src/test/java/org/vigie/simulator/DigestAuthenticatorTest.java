package org.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class DigestAuthenticatorTest {

    private final DigestAuthenticator auth = new DigestAuthenticator("admin", "s3cret", "Vigie", new SecureRandom());

    /**
     * RFC 2617 section 3.5's published exchange, the whole Authorization header as the RFC prints it: the expected
     * response is the RFC's, not one computed here. (An independent client: CameraSimulatorTest's ffprobe, whose
     * digest is FFmpeg's own, plays through the same authenticator.)
     */
    @Test
    void rfc2617PublishedExample() {
        DigestAuthenticator mufasa = new DigestAuthenticator("Mufasa", "Circle Of Life", "testrealm@host.com",
                "dcd98b7102dd2f0e8b11d0f600bfb0c093");
        String header = "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, nc=00000001, "
                + "cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
                + "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
        assertThat(mufasa.verify("GET", header)).isTrue();
        assertThat(mufasa.response("GET", "/dir/index.html", "auth", "00000001", "0a4f113b"))
                .isEqualTo("6629fae49393a05397450978507c4ef1");
        assertThat(mufasa.verify("GET", header.replace("6629fae4", "6629fae5"))).isFalse();
        assertThat(mufasa.verify("POST", header)).isFalse();
    }

    /** RFC 7616 section 3.9.1's published exchange with MD5 (the algorithm the simulator announces). */
    @Test
    void rfc7616PublishedExampleWithMd5() {
        DigestAuthenticator mufasa = new DigestAuthenticator("Mufasa", "Circle of Life", "http-auth@example.org",
                "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v");
        String header = "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", "
                + "algorithm=MD5, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001, "
                + "cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, "
                + "response=\"8ca523f5e9506fed4657c9700eebdbec\", "
                + "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
        assertThat(mufasa.verify("GET", header)).isTrue();
        DigestAuthenticator wrongPassword = new DigestAuthenticator("Mufasa", "Circle Of Life",
                "http-auth@example.org", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v");
        assertThat(wrongPassword.verify("GET", header)).isFalse();
    }

    @Test
    void rightCredentialsPassWithAndWithoutQop() {
        String uri = "rtsp://127.0.0.1:8554/cam-001";
        String plain = auth.response("DESCRIBE", uri, null, null, null);
        assertThat(auth.verify("DESCRIBE", header("admin", uri, plain, ""))).isTrue();
        String withQop = auth.response("DESCRIBE", uri, "auth", "00000001", "abcd");
        assertThat(auth.verify("DESCRIBE",
                header("admin", uri, withQop, ", qop=auth, nc=00000001, cnonce=\"abcd\""))).isTrue();
    }

    @Test
    void wrongPasswordUserMethodOrNonceFail() {
        String uri = "rtsp://127.0.0.1:8554/cam-001";
        DigestAuthenticator other = new DigestAuthenticator("admin", "wrong", "Vigie", new SecureRandom());
        String wrongPassword = DigestAuthenticator.md5Hex(DigestAuthenticator.md5Hex("admin:Vigie:wrong") + ":"
                + auth.nonce() + ":" + DigestAuthenticator.md5Hex("DESCRIBE:" + uri));
        assertThat(auth.verify("DESCRIBE", header("admin", uri, wrongPassword, ""))).isFalse();
        String right = auth.response("DESCRIBE", uri, null, null, null);
        assertThat(auth.verify("SETUP", header("admin", uri, right, ""))).isFalse();
        assertThat(auth.verify("DESCRIBE", header("root", uri, right, ""))).isFalse();
        assertThat(other.verify("DESCRIBE", header("admin", uri, right, ""))).isFalse();
        assertThat(auth.verify("DESCRIBE", null)).isFalse();
        assertThat(auth.verify("DESCRIBE", "Basic YWRtaW46czNjcmV0")).isFalse();
        assertThat(auth.verify("DESCRIBE", "Digest garbage")).isFalse();
    }

    @Test
    void challengeNamesRealmAndNonce() {
        assertThat(auth.challenge()).startsWith("Digest ").contains("realm=\"Vigie\"")
                .contains("nonce=\"" + auth.nonce() + "\"");
    }

    private String header(String user, String uri, String response, String extra) {
        return "Digest username=\"" + user + "\", realm=\"Vigie\", nonce=\"" + auth.nonce() + "\", uri=\"" + uri
                + "\", response=\"" + response + "\"" + extra;
    }
}

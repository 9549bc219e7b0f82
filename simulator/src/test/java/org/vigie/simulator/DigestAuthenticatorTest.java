package org.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class DigestAuthenticatorTest {

    private final DigestAuthenticator auth = new DigestAuthenticator("admin", "s3cret", "Vigie", new SecureRandom());

    @Test
    void rfc2617ExampleWithQopAuth() {
        // RFC 2617 section 3.5, with the nonce replaced by the authenticator's own one
        DigestAuthenticator mufasa = new DigestAuthenticator("Mufasa", "Circle Of Life", "testrealm@host.com",
                new SecureRandom());
        String ha1 = DigestAuthenticator.md5Hex("Mufasa:testrealm@host.com:Circle Of Life");
        String ha2 = DigestAuthenticator.md5Hex("GET:/dir/index.html");
        String expected = DigestAuthenticator.md5Hex(ha1 + ":" + mufasa.nonce() + ":00000001:0a4f113b:auth:" + ha2);
        assertThat(mufasa.response("GET", "/dir/index.html", "auth", "00000001", "0a4f113b")).isEqualTo(expected);
        assertThat(DigestAuthenticator.md5Hex("Mufasa:testrealm@host.com:Circle Of Life"))
                .isEqualTo("939e7578ed9e3c518a452acee763bce9");
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

package org.vigie.rtsp.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigie.rtsp.RtspParseException;

/** WWW-Authenticate and Authorization, in the shapes cameras write them. */
class AuthHeadersTest {

    @Test
    void hikvisionSendsDigestAndBasicAsTwoHeaders() {
        List<Challenge> c = Challenge.parseAll(List.of(
                "Digest realm=\"IP Camera(C6512)\", nonce=\"b36d9b7d7d0c7e5dd5af8e9f14b3a2c4\", stale=\"FALSE\"",
                "Basic realm=\"IP Camera(C6512)\""));
        assertThat(c).hasSize(2);
        assertThat(c.get(0).is("digest")).isTrue();
        assertThat(c.get(0).realm()).isEqualTo("IP Camera(C6512)");
        assertThat(c.get(0).param("NONCE")).isEqualTo("b36d9b7d7d0c7e5dd5af8e9f14b3a2c4");
        assertThat(c.get(0).stale()).isFalse();
        assertThat(c.get(1).is("Basic")).isTrue();
    }

    @Test
    void severalChallengesInOneHeaderAndQuotedCommas() {
        List<Challenge> c = Challenge.parseAll(List.of("Digest realm=\"a, b\",nonce=\"n1\",algorithm=MD5,"
                + "qop=\"auth,auth-int\", opaque=\"x\", Basic realm=\"cam\""));
        assertThat(c).extracting(Challenge::scheme).containsExactly("Digest", "Basic");
        assertThat(c.get(0).realm()).isEqualTo("a, b");
        assertThat(c.get(0).param("qop")).isEqualTo("auth,auth-int");
        assertThat(c.get(0).param("algorithm")).isEqualTo("MD5");
        assertThat(c.get(1).realm()).isEqualTo("cam");
    }

    @Test
    void challengeFormatsBackToWhatItParses() {
        Challenge c = Challenge.parseAll(List.of("Digest realm=\"r\\\"q\", nonce=\"n\", algorithm=MD5")).get(0);
        assertThat(c.realm()).isEqualTo("r\"q");
        assertThat(Challenge.parseAll(List.of(c.format())).get(0)).isEqualTo(c);
    }

    @Test
    void authorizationBasicAndDigest() {
        Authorization basic = Authorization.parse("Basic YWRtaW46cGFzcz0=");
        assertThat(basic.is("basic")).isTrue();
        assertThat(basic.token68()).isEqualTo("YWRtaW46cGFzcz0=");
        Authorization digest = Authorization.parse("Digest username=\"admin\", realm=\"r\", nonce=\"n\", "
                + "uri=\"rtsp://h/s\", response=\"0123abcd\", qop=auth, nc=00000001, cnonce=\"c\"");
        assertThat(digest.param("username")).isEqualTo("admin");
        assertThat(digest.param("nc")).isEqualTo("00000001");
        assertThat(Authorization.parse(digest.format())).isEqualTo(digest);
        assertThat(digest.toString()).doesNotContain("0123abcd");
    }

    @Test
    void malformedValuesAreParseErrors() {
        for (String bad : new String[] {"", "   ", "\"quoted\"", "Digest realm=\"unterminated",
                "Digest a=1, b=2 trailing junk =", "Basic abc def"}) {
            assertThatThrownBy(() -> Authorization.parse(bad)).as(bad).isInstanceOf(RtspParseException.class);
        }
        assertThatThrownBy(() -> Challenge.parseAll(List.of("Digest realm=\"x"))).isInstanceOf(RtspParseException.class);
        assertThatThrownBy(() -> Challenge.parseAll(List.of("=x"))).isInstanceOf(RtspParseException.class);
    }
}

package org.vigie.rtsp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vigie.rtsp.header.Authorization;
import org.vigie.rtsp.header.Challenge;

/** Basic and Digest, client and server side, against each other and against RFC 2617's worked example. */
class AuthenticationTest {

    private static final Credentials CREDENTIALS = new Credentials("admin", "s3cret");

    @Test
    void digestResponseMatchesRfc2617SectionThreePointFive() {
        // RFC 2617 section 3.5: user Mufasa, password "Circle Of Life", GET /dir/index.html
        String r = Digest.response(null, new Credentials("Mufasa", "Circle Of Life"), "testrealm@host.com",
                "dcd98b7102dd2f0e8b11d0f600bfb0c093", "GET", "/dir/index.html", "auth", "00000001", "0a4f113b");
        assertThat(r).isEqualTo("6629fae49393a05397450978507c4ef1");
    }

    /** RFC 2617 section 3.5's published exchange, verified by the server side (the simulator's cameras). */
    @Test
    void serverVerifiesRfc2617PublishedExample() {
        DigestVerifier v = new DigestVerifier("testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093", true);
        String header = "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, nc=00000001, "
                + "cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
                + "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
        java.util.function.Function<String, java.util.Optional<String>> mufasa =
                u -> u.equals("Mufasa") ? java.util.Optional.of("Circle Of Life") : java.util.Optional.empty();
        assertThat(v.verify("GET", header, mufasa)).contains("Mufasa");
        assertThat(v.verify("GET", header.replace("6629fae4", "6629fae5"), mufasa)).isEmpty();
        assertThat(v.verify("POST", header, mufasa)).isEmpty();
    }

    /** RFC 7616 section 3.9.1's published exchange with MD5 (the algorithm the simulator announces). */
    @Test
    void serverVerifiesRfc7616PublishedExampleWithMd5() {
        DigestVerifier v = new DigestVerifier("http-auth@example.org", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                true);
        String header = "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", "
                + "algorithm=MD5, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001, "
                + "cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, "
                + "response=\"8ca523f5e9506fed4657c9700eebdbec\", "
                + "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
        assertThat(v.verify("GET", header, u -> java.util.Optional.of("Circle of Life"))).contains("Mufasa");
        assertThat(v.verify("GET", header, u -> java.util.Optional.of("Circle Of Life"))).as("wrong password")
                .isEmpty();
    }

    @Test
    void clientPrefersDigestOverBasicAndSignsEachRequestWithAFreshNonceCount() {
        ClientAuthenticator client = new ClientAuthenticator(CREDENTIALS, new SplittableRandom(1));
        assertThat(client.authorization("DESCRIBE", "rtsp://h/s")).isEmpty(); // nothing before a challenge
        assertThat(client.accept(Challenge.parseAll(List.of("Basic realm=\"cam\"",
                "Digest realm=\"cam\", nonce=\"abc\", qop=\"auth\"")))).isTrue();
        assertThat(client.scheme()).contains("Digest");
        Authorization first = Authorization.parse(client.authorization("DESCRIBE", "rtsp://h/s").orElseThrow());
        Authorization second = Authorization.parse(client.authorization("SETUP", "rtsp://h/s/track1").orElseThrow());
        assertThat(first.param("nc")).isEqualTo("00000001");
        assertThat(second.param("nc")).isEqualTo("00000002");
        assertThat(first.param("qop")).isEqualTo("auth");
        assertThat(second.param("uri")).isEqualTo("rtsp://h/s/track1");
        assertThat(first.param("response")).hasSize(32);
    }

    @Test
    void clientAnswersBasicOnlyWhenNothingElseIsOffered() {
        ClientAuthenticator client = new ClientAuthenticator(CREDENTIALS, new SplittableRandom(1));
        assertThat(client.accept(Challenge.parseAll(List.of("Basic realm=\"cam\"")))).isTrue();
        assertThat(client.authorization("OPTIONS", "rtsp://h/")).contains("Basic YWRtaW46czNjcmV0");
    }

    @Test
    void clientRefusesWhatItCannotCompute() {
        ClientAuthenticator client = new ClientAuthenticator(CREDENTIALS, new SplittableRandom(1));
        assertThat(client.accept(Challenge.parseAll(List.of("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"")))).isFalse();
        assertThat(client.accept(Challenge.parseAll(List.of("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256")))).isFalse();
        assertThat(client.accept(Challenge.parseAll(List.of("Negotiate abc==")))).isFalse();
        assertThat(client.ready()).isFalse();
    }

    @Test
    void serverVerifiesTheClientWithAndWithoutQopAndRefusesAWrongPassword() {
        for (boolean qop : new boolean[] {true, false}) {
            DigestVerifier server = new DigestVerifier("cam", new SplittableRandom(7), qop);
            ClientAuthenticator good = new ClientAuthenticator(CREDENTIALS, new SplittableRandom(2));
            assertThat(good.accept(Challenge.parseAll(List.of(server.challenge())))).isTrue();
            String header = good.authorization("PLAY", "rtsp://h/s").orElseThrow();
            assertThat(Authorization.parse(header).param("qop")).isEqualTo(qop ? "auth" : null);
            assertThat(server.verify("PLAY", header, this::passwordOf)).contains("admin");
            assertThat(server.verify("SETUP", header, this::passwordOf)).as("method is signed").isEmpty();

            ClientAuthenticator bad = new ClientAuthenticator(new Credentials("admin", "guess"), new SplittableRandom(3));
            bad.accept(Challenge.parseAll(List.of(server.challenge())));
            assertThat(server.verify("PLAY", bad.authorization("PLAY", "rtsp://h/s").orElseThrow(), this::passwordOf))
                    .isEmpty();
        }
    }

    @Test
    void serverRefusesOtherNoncesRealmsUsersAndGarbage() {
        DigestVerifier server = new DigestVerifier("cam", new SplittableRandom(7), true);
        ClientAuthenticator client = new ClientAuthenticator(CREDENTIALS, new SplittableRandom(2));
        client.accept(Challenge.parseAll(List.of("Digest realm=\"cam\", nonce=\"other\", qop=\"auth\"")));
        assertThat(server.verify("PLAY", client.authorization("PLAY", "u").orElseThrow(), this::passwordOf)).isEmpty();
        ClientAuthenticator stranger = new ClientAuthenticator(new Credentials("nobody", "x"), new SplittableRandom(2));
        stranger.accept(Challenge.parseAll(List.of(server.challenge())));
        assertThat(server.verify("PLAY", stranger.authorization("PLAY", "u").orElseThrow(), this::passwordOf)).isEmpty();
        for (String garbage : new String[] {null, "", "Digest", "Digest realm=\"", "Basic YWRtaW46czNjcmV0"}) {
            assertThat(server.verify("PLAY", garbage, this::passwordOf)).as(String.valueOf(garbage)).isEmpty();
        }
    }

    @Test
    void basicCredentialsDecodeOrAreEmpty() {
        assertThat(BasicCredentials.decode("Basic YWRtaW46czNjcmV0")).contains(CREDENTIALS);
        assertThat(BasicCredentials.decode("Basic YWRtaW46")).contains(new Credentials("admin", ""));
        for (String bad : new String[] {null, "Basic", "Basic !!!", "Basic YWRtaW4=", "Digest username=\"a\""}) {
            assertThat(BasicCredentials.decode(bad)).as(String.valueOf(bad)).isEmpty();
        }
        assertThat(BasicCredentials.challenge("vigie")).isEqualTo("Basic realm=\"vigie\"");
        assertThat(CREDENTIALS.toString()).doesNotContain("s3cret");
    }

    private Optional<String> passwordOf(String user) {
        return user.equals("admin") ? Optional.of("s3cret") : Optional.empty();
    }
}

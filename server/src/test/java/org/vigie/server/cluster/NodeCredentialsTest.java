package org.vigie.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class NodeCredentialsTest {

    static final String SECRET = "a-cluster-secret-of-32-characters";
    static final Instant NOW = Instant.parse("2026-12-06T22:00:00Z");
    static final String PATH = "/api/v1/cameras/cam-1/export.mp4";

    final NodeCredentials rec2 = new NodeCredentials("rec-02", SECRET, InstantSource.fixed(NOW));

    @Test
    void aCallSignedWithTheSecretIsTheActingUsersForThatMethodAndPath() {
        String h = new NodeCredentials("rec-01", SECRET, InstantSource.fixed(NOW)).sign("GET", PATH, "agent dupont");
        assertThat(NodeCredentials.isNodeCall(h)).isTrue();
        assertThat(h).doesNotContain(SECRET);
        assertThat(rec2.verify(h, "GET", PATH)).contains(new NodeCredentials.Caller("rec-01", "agent dupont"));
        assertThat(rec2.verify(h, "HEAD", PATH)).isEmpty();
        assertThat(rec2.verify(h, "GET", "/api/v1/cameras/cam-2/export.mp4")).isEmpty();
    }

    @Test
    void anotherSecretATamperedUserOrAnOldCallIsRefused() {
        String other = new NodeCredentials("rec-01", "another-secret-of-the-same-size", InstantSource.fixed(NOW))
                .sign("GET", PATH, "admin");
        assertThat(rec2.verify(other, "GET", PATH)).isEmpty();

        String h = new NodeCredentials("rec-01", SECRET, InstantSource.fixed(NOW)).sign("GET", PATH, "agent");
        String admin = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("admin".getBytes());
        String tampered = h.replaceFirst("user=[^ ]+", "user=" + admin);
        assertThat(rec2.verify(tampered, "GET", PATH)).isEmpty();

        String old = new NodeCredentials("rec-01", SECRET, InstantSource.fixed(NOW.minus(Duration.ofSeconds(31))))
                .sign("GET", PATH, "agent");
        assertThat(rec2.verify(old, "GET", PATH)).isEmpty();
        assertThat(rec2.verifyAdmitted(old, "GET", PATH)).as("an admitted connection's re-check").isPresent();
        String recent = new NodeCredentials("rec-01", SECRET, InstantSource.fixed(NOW.minus(Duration.ofSeconds(29))))
                .sign("GET", PATH, "agent");
        assertThat(rec2.verify(recent, "GET", PATH)).isPresent();

        assertThat(rec2.verify("Bearer vms_t_abc", "GET", PATH)).isEmpty();
        assertThat(rec2.verify("VigieNode node=rec-01 user=YQ time=x sig=y", "GET", PATH)).isEmpty();
        assertThat(rec2.verify("VigieNode garbage", "GET", PATH)).isEmpty();
    }
}

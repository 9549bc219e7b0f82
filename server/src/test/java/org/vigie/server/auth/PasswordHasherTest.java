package org.vigie.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    final PasswordHasher hasher = new PasswordHasher(256, 2, 1);

    @Test
    void hashIsSaltedPhcArgon2idAndVerifies() {
        String a = hasher.hash("correct horse");
        String b = hasher.hash("correct horse");
        assertThat(a).startsWith("$argon2id$v=19$m=256,t=2,p=1$").isNotEqualTo(b);
        assertThat(hasher.verify("correct horse", a)).isTrue();
        assertThat(hasher.verify("correct horsf", a)).isFalse();
        assertThat(hasher.verify("", a)).isFalse();
    }

    @Test
    void aHashKeepsItsOwnCost() {
        String old = new PasswordHasher(64, 1, 1).hash("pw-of-2025");
        assertThat(hasher.verify("pw-of-2025", old)).isTrue();
    }

    @Test
    void matchesTheRfc9106TestVectorParametersThroughBouncyCastle() {
        // Independent computation of one stored hash, to prove the format is what it says.
        String h = hasher.hash("secret");
        String[] p = h.split("\\$");
        byte[] salt = java.util.Base64.getDecoder().decode(p[4]);
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(256).withIterations(2).withParallelism(1).withSalt(salt).build());
        byte[] out = new byte[32];
        g.generateBytes("secret".getBytes(java.nio.charset.StandardCharsets.UTF_8), out);
        assertThat(java.util.Base64.getEncoder().withoutPadding().encodeToString(out)).isEqualTo(p[5]);
    }

    @Test
    void malformedHashesNeverVerify() {
        for (String bad : new String[] {"", "$argon2i$v=19$m=64,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=x$AA$AA",
                "plain", "$argon2id$v=19$m=64,t=1,p=1$!!$AAAA", "$argon2id$v=19$m=64,t=1,p=1,q=2$AAAA$AAAA"}) {
            assertThat(hasher.verify("pw", bad)).as(bad).isFalse();
        }
    }
}

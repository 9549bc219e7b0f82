package org.vigie.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
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

    /**
     * RFC 9106 section 5.3's published Argon2id test vector, through the code that builds every stored hash
     * (type, version 0x13, memory in KiB, lanes): 32 bytes of 0x01 as password, 16 of 0x02 as salt, 8 of 0x03 as
     * secret, 12 of 0x04 as associated data, t=3, m=32 KiB, p=4.
     */
    @Test
    void rfc9106Argon2idTestVector() {
        byte[] tag = PasswordHasher.argon2id(filled(32, 0x01), filled(16, 0x02), filled(8, 0x03), filled(12, 0x04),
                32, 3, 4, 32);
        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    /**
     * A stored hash made by another implementation: the PHC string of the Argon2 reference implementation's own test
     * suite (libargon2's test.c: "password", salt "somesalt", t=2, m=64 MiB, p=1), verified by the production path
     * that parses the PHC format.
     */
    @Test
    void verifiesTheReferenceImplementationsPhcString() {
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(hasher.verify("password", reference)).isTrue();
        assertThat(hasher.verify("passwore", reference)).isFalse();
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void malformedHashesNeverVerify() {
        for (String bad : new String[] {"", "$argon2i$v=19$m=64,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=x$AA$AA",
                "plain", "$argon2id$v=19$m=64,t=1,p=1$!!$AAAA", "$argon2id$v=19$m=64,t=1,p=1,q=2$AAAA$AAAA"}) {
            assertThat(hasher.verify("pw", bad)).as(bad).isFalse();
        }
    }
}

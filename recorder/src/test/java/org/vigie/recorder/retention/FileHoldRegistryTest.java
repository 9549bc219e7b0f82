package org.vigie.recorder.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hold journal: replayed after a restart, a torn last line cut off, bad changes refused and not written. */
class FileHoldRegistryTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void holdsSurviveARestartAndATornLineIsCutOff() throws IOException {
        TestClock clock = new TestClock(T0);
        Path file = dir.resolve("holds.jsonl");
        FileHoldRegistry r = FileHoldRegistry.open(file, clock);
        LegalHold h1 = r.create("cam-1", T0.minusSeconds(3600), T0, "PV-1", "theft \"quoted\"\nline",
                T0.plus(Duration.ofDays(10)), "alice");
        LegalHold h2 = r.create("cam-2", T0.minusSeconds(60), T0, "PV-2", "fight", T0.plus(Duration.ofDays(1)), "bob");
        clock.advance(Duration.ofHours(1));
        r.extend(h1.id(), T0.plus(Duration.ofDays(40)), "alice");
        r.release(h2.id(), "carol");
        Files.writeString(file, "{\"op\":\"release\",\"id\":\"" + h1.id(), StandardOpenOption.APPEND); // torn

        FileHoldRegistry again = FileHoldRegistry.open(file, clock);
        assertThat(again.all()).isEqualTo(r.all());
        assertThat(again.get(h1.id()).orElseThrow().expires()).isEqualTo(T0.plus(Duration.ofDays(40)));
        assertThat(again.get(h1.id()).orElseThrow().reason()).isEqualTo("theft \"quoted\"\nline");
        assertThat(again.active(clock.instant())).extracting(LegalHold::id).containsExactly(h1.id());
        assertThat(again.get(h2.id()).orElseThrow().releasedBy()).isEqualTo("carol");
        assertThat(Files.readString(file)).endsWith("\n");
        assertThat(again.create("cam-3", T0, T0.plusSeconds(1), "PV-3", "x", T0.plus(Duration.ofDays(1)), "a").id())
                .isEqualTo("H000003");

        clock.set(T0.plus(Duration.ofDays(41)));
        assertThat(again.active(clock.instant())).isEmpty(); // expired
    }

    @Test
    void refusedChangesLeaveNoLine() throws IOException {
        TestClock clock = new TestClock(T0);
        Path file = dir.resolve("holds.jsonl");
        FileHoldRegistry r = FileHoldRegistry.open(file, clock);
        assertThatThrownBy(() -> r.create("cam-1", T0, T0.minusSeconds(1), "PV", "r", T0.plusSeconds(60), "a"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.create("cam-1", T0.minusSeconds(9), T0, "PV", "r", T0, "a"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.create("cam-1", T0.minusSeconds(9), T0, " ", "r", T0.plusSeconds(60), "a"))
                .isInstanceOf(IllegalArgumentException.class);
        LegalHold h = r.create("cam-1", T0.minusSeconds(9), T0, "PV", "r", T0.plusSeconds(60), "a");
        assertThatThrownBy(() -> r.extend(h.id(), T0.plusSeconds(30), "a")).isInstanceOf(IllegalArgumentException.class);
        r.release(h.id(), "a");
        assertThatThrownBy(() -> r.release(h.id(), "a")).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    @Test
    void aReleaseTakesEffectAfterItsGraceAndSurvivesARestart() throws IOException {
        TestClock clock = new TestClock(T0);
        Path file = dir.resolve("holds.jsonl");
        FileHoldRegistry r = FileHoldRegistry.open(file, clock);
        LegalHold h = r.create("cam-1", T0.minusSeconds(3600), T0, "PV-1", "r", T0.plus(Duration.ofDays(10)), "alice");
        LegalHold released = r.release(h.id(), "alice", Duration.ofHours(24));
        assertThat(released.releasedAt()).isEqualTo(T0);
        assertThat(released.releaseEffective()).isEqualTo(T0.plus(Duration.ofHours(24)));
        assertThat(r.active(T0.plus(Duration.ofHours(23)))).extracting(LegalHold::id).containsExactly(h.id());
        assertThatThrownBy(() -> r.release(h.id(), "alice", Duration.ZERO)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already released");
        assertThatThrownBy(() -> r.extend(h.id(), T0.plus(Duration.ofDays(20)), "alice"))
                .isInstanceOf(IllegalStateException.class);
        FileHoldRegistry again = FileHoldRegistry.open(file, clock);
        assertThat(again.get(h.id()).orElseThrow()).isEqualTo(released);
        assertThat(again.active(T0.plus(Duration.ofHours(24)))).isEmpty();
        // a release line written before release grace existed takes effect at once
        Files.writeString(file, "{\"op\":\"release\",\"id\":\"" + again.create("cam-2", T0.minusSeconds(5), T0,
                "PV-2", "r", T0.plus(Duration.ofDays(1)), "bob").id() + "\",\"by\":\"bob\",\"at\":\"" + T0 + "\"}\n",
                StandardOpenOption.APPEND);
        assertThat(FileHoldRegistry.open(file, clock).active(T0)).extracting(LegalHold::cameraId).containsExactly("cam-1");
    }

    @Test
    void datesOutsideTheBoundsAreRefused() throws IOException {
        FileHoldRegistry r = FileHoldRegistry.open(dir.resolve("holds.jsonl"), new TestClock(T0));
        assertThatThrownBy(() -> r.create("cam-1", Instant.parse("-300000-01-01T00:00:00Z"), T0, "PV", "r",
                T0.plusSeconds(60), "a")).isInstanceOf(java.time.DateTimeException.class);
        assertThatThrownBy(() -> r.create("cam-1", T0.minusSeconds(9), T0, "PV", "r",
                Instant.parse("+300000-01-01T00:00:00Z"), "a")).isInstanceOf(java.time.DateTimeException.class);
        assertThat(r.all()).isEmpty();
    }
}

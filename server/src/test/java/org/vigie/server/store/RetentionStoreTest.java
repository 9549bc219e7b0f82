package org.vigie.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vigie.media.StreamKey;
import org.vigie.recorder.retention.FileHoldRegistry;
import org.vigie.recorder.retention.FileRecordingRegister;
import org.vigie.recorder.retention.LegalHold;
import org.vigie.recorder.retention.RegisterEntry;
import org.vigie.recorder.storage.DeletionMark;

/** Legal holds and the register in the store, on both databases; on PostgreSQL, as several nodes share them. */
class RetentionStoreTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final InstantSource CLOCK = InstantSource.fixed(T0);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void holdsAreCreatedExtendedAndReleased(Database.Kind kind) throws Exception {
        try (Database db = TestStore.of(kind, dir).open()) {
            HoldStore holds = new HoldStore(db, CLOCK);
            LegalHold h = holds.create("cam-1", T0.minusSeconds(3600), T0.minusSeconds(60), "PV-42", "rixe",
                    T0.plusSeconds(86_400), "sup");
            assertThat(h.id()).isEqualTo("H000001");
            assertThat(holds.get("H000001")).contains(h);
            assertThat(holds.active(T0)).containsExactly(h);
            LegalHold longer = holds.extend(h.id(), T0.plusSeconds(172_800), "sup");
            assertThat(longer.expires()).isEqualTo(T0.plusSeconds(172_800));
            assertThatThrownBy(() -> holds.extend(h.id(), T0.plusSeconds(10), "sup"))
                    .isInstanceOf(IllegalArgumentException.class);
            LegalHold released = holds.release(h.id(), "chief");
            assertThat(released.releasedBy()).isEqualTo("chief");
            assertThat(released.releasedAt()).isEqualTo(T0);
            assertThat(holds.active(T0)).isEmpty();
            assertThat(holds.all()).containsExactly(released);
            assertThatThrownBy(() -> holds.release(h.id(), "chief")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> holds.release("H999999", "chief")).isInstanceOf(NoSuchElementException.class);
            assertThatThrownBy(() -> holds.create("cam-1", T0, T0.plusSeconds(1), "PV", "r", T0, "sup"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(holds.all()).hasSize(1);
        }
    }

    /**
     * The security review's hold rules (main) hold in the store too: a release takes effect after its grace, seen by
     * every node; a released hold is neither released again nor extended; dates outside InstantBounds are refused.
     */
    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aReleaseTakesEffectAfterItsGraceAndDatesAreBounded(Database.Kind kind) throws Exception {
        TestStore store = TestStore.of(kind, dir);
        try (Database a = store.open()) {
            HoldStore holds = new HoldStore(a, CLOCK);
            LegalHold h = holds.create("cam-1", T0.minusSeconds(3600), T0, "PV-42", "rixe", T0.plusSeconds(86_400),
                    "sup");
            LegalHold released = holds.release(h.id(), "chief", java.time.Duration.ofHours(1));
            assertThat(released.releaseEffective()).isEqualTo(T0.plusSeconds(3600));
            assertThat(holds.active(T0.plusSeconds(3599))).containsExactly(released);
            assertThat(holds.active(T0.plusSeconds(3600))).isEmpty();
            assertThat(holds.get(h.id())).contains(released);
            assertThatThrownBy(() -> holds.release(h.id(), "chief", java.time.Duration.ZERO))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already released");
            assertThatThrownBy(() -> holds.extend(h.id(), T0.plusSeconds(172_800), "sup"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("was released");
            assertThatThrownBy(() -> holds.create("cam-1", Instant.parse("-300000-01-01T00:00:00Z"), T0, "PV", "r",
                    T0.plusSeconds(60), "sup")).isInstanceOf(java.time.DateTimeException.class);
            assertThat(holds.all()).hasSize(1);
        }
    }

    /** A player reading one export in many byte ranges makes one register entry, on every node's view. */
    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void anExportWindowIsRegisteredOncePerDay(Database.Kind kind) throws Exception {
        try (Database a = TestStore.of(kind, dir).open()) {
            RegisterStore register = new RegisterStore(a, CLOCK, "rec-01");
            for (int range = 0; range < 3; range++) {
                register.recordExport(RegisterEntry.Kind.EXPORT, "cam-1", "main", T0.minusSeconds(60), T0, "sup",
                        "police", "PV-42", 12345);
            }
            register.recordExport(RegisterEntry.Kind.EXPORT, "cam-1", "main", T0.minusSeconds(30), T0, "sup",
                    "police", "PV-42", 999);
            assertThat(register.query(Instant.EPOCH, T0.plusSeconds(1), "cam-1", RegisterEntry.Kind.EXPORT, 100))
                    .hasSize(2);
        }
    }

    /** Two nodes create holds at once: every hold gets its own number, and each node sees the other's at once. */
    @Test
    void nodesOfAClusterShareTheHoldsAndTheirNumbering() throws Exception {
        TestStore store = TestStore.of(Database.Kind.POSTGRESQL, dir);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Database a = store.open(); Database b = store.open()) {
            HoldStore onA = new HoldStore(a, CLOCK);
            HoldStore onB = new HoldStore(b, CLOCK);
            List<Future<LegalHold>> made = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                HoldStore node = i % 2 == 0 ? onA : onB;
                made.add(pool.submit(() -> node.create("cam-1", T0.minusSeconds(60), T0, "PV", "r",
                        T0.plusSeconds(3600), "sup")));
            }
            List<String> ids = new ArrayList<>();
            for (Future<LegalHold> f : made) ids.add(f.get().id());
            assertThat(ids).doesNotHaveDuplicates().hasSize(20);
            assertThat(onB.all()).extracting(LegalHold::id).containsExactlyElementsOf(
                    onA.all().stream().map(LegalHold::id).toList());
            onA.release("H000007", "sup");
            assertThat(onB.active(T0)).hasSize(19).extracting(LegalHold::id).doesNotContain("H000007");
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void registerKeepsEachDestructionOnceAndListsEveryNode(Database.Kind kind) throws Exception {
        TestStore store = TestStore.of(kind, dir);
        try (Database a = store.open()) {
            RegisterStore onA = new RegisterStore(a, CLOCK, "rec-01");
            RegisterStore onB = new RegisterStore(a, CLOCK, "rec-02");
            DeletionMark mark = new DeletionMark(StreamKey.main("cam-1"), "retention", T0.minusSeconds(10),
                    List.of(new DeletionMark.Segment("00000001772359200000", 1_772_359_200_000_000L,
                            1_772_359_260_000_000L, 1000)));
            onA.destroyed(mark);
            onA.destroyed(mark); // heard again after a crash
            onB.destroyed(mark); // the same segment name on another node's disk is another destruction
            RegisterEntry export = onB.recordExport(RegisterEntry.Kind.EXPORT, "cam-1", null, T0.minusSeconds(60), T0,
                    "sup", "police", "PV-42", 12345);
            List<RegisterEntry> all = onA.query(Instant.EPOCH, T0.plusSeconds(1), null, null, 100);
            assertThat(all).hasSize(3);
            assertThat(all).filteredOn(e -> e.kind() == RegisterEntry.Kind.DESTRUCTION).hasSize(2)
                    .allSatisfy(e -> assertThat(e.segments()).isEqualTo(1));
            assertThat(onA.query(Instant.EPOCH, T0.plusSeconds(1), "cam-1", RegisterEntry.Kind.EXPORT, 100))
                    .containsExactly(export);
            assertThat(onA.query(Instant.EPOCH, T0, null, null, 100)).hasSize(2); // the export is at T0: excluded
        }
    }

    /** An upgrade from the journals on the first volume loses no hold and no register entry. */
    @Test
    void journalsOfEarlierVersionsAreImportedOnce() throws Exception {
        Path volume = dir.resolve("rec");
        FileHoldRegistry journal = FileHoldRegistry.open(FileHoldRegistry.defaultFile(volume), CLOCK);
        LegalHold h1 = journal.create("cam-1", T0.minusSeconds(600), T0, "PV-1", "vol", T0.plusSeconds(3600), "sup");
        journal.create("cam-2", T0.minusSeconds(600), T0, "PV-2", "rixe", T0.plusSeconds(3600), "sup");
        journal.release(h1.id(), "chief");
        FileRecordingRegister oldRegister = new FileRecordingRegister(FileRecordingRegister.defaultDir(volume), CLOCK);
        oldRegister.recordExport(RegisterEntry.Kind.EXPORT, "cam-1", "main", T0.minusSeconds(60), T0, "sup", "police",
                "PV-1", 10);
        try (Database db = TestStore.of(Database.Kind.SQLITE, dir).open()) {
            HoldStore holds = new HoldStore(db, CLOCK);
            RegisterStore register = new RegisterStore(db, CLOCK, "");
            org.vigie.server.retention.RetentionServiceAccess.importJournals(volume, CLOCK, holds, register);
            assertThat(holds.all()).containsExactlyElementsOf(journal.all());
            assertThat(register.query(Instant.EPOCH, T0.plusSeconds(1), null, null, 10)).hasSize(1);
            assertThat(Files.exists(FileHoldRegistry.defaultFile(volume))).isFalse();
            LegalHold next = holds.create("cam-3", T0.minusSeconds(60), T0, "PV-3", "r", T0.plusSeconds(60), "sup");
            assertThat(next.id()).isEqualTo("H000003");
        }
    }

    /**
     * An earlier version's journal could hold a date no microsecond column holds (year -300000, which once overflowed
     * the sweeper): the import clamps it to the bounds, so the hold still covers the camera's footage and the server
     * starts.
     */
    @Test
    void aJournalHoldBeyondTheBoundsIsImportedClamped() throws Exception {
        Path volume = dir.resolve("rec");
        Path journal = FileHoldRegistry.defaultFile(volume);
        Files.createDirectories(journal.getParent());
        Files.writeString(journal, "{\"op\":\"create\",\"id\":\"H000001\",\"camera\":\"cam-a\","
                + "\"from\":\"-300000-01-01T00:00:00Z\",\"to\":\"" + T0 + "\",\"case\":\"PV-1\","
                + "\"reason\":\"old journal\",\"expires\":\"" + T0.plusSeconds(3600) + "\",\"by\":\"sup\","
                + "\"at\":\"" + T0.minusSeconds(60) + "\"}\n");
        try (Database db = TestStore.of(Database.Kind.SQLITE, dir).open()) {
            HoldStore holds = new HoldStore(db, CLOCK);
            org.vigie.server.retention.RetentionServiceAccess.importJournals(volume, CLOCK, holds,
                    new RegisterStore(db, CLOCK, ""));
            assertThat(holds.all()).singleElement().satisfies(h -> {
                assertThat(h.from()).isEqualTo(org.vigie.base.InstantBounds.MIN);
                assertThat(h.covers("cam-a", 0, 1_000_000, T0)).isTrue();
            });
        }
    }
}


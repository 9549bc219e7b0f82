package org.vigie.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vigie.base.privacy.MaskSet;
import org.vigie.base.privacy.PrivacyMask;
import org.vigie.recorder.retention.RegisterEntry;
import org.vigie.server.auth.Role;
import org.vigie.server.auth.UserRecord;
import org.vigie.server.auth.UserStore;

/** Issue 14 in the store, on both databases: mask versions kept, the unmask grant, the register's mask version. */
class MaskStoreTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final List<PrivacyMask.Point> QUARTER = List.of(new PrivacyMask.Point(0, 0), new PrivacyMask.Point(0.5, 0),
            new PrivacyMask.Point(0.5, 0.5), new PrivacyMask.Point(0, 0.5));

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void everyVersionIsKeptWithItsStartAndAuthor(Database.Kind kind) throws Exception {
        try (Database db = TestStore.of(kind, dir).open()) {
            MaskStore store = new MaskStore(db);
            assertThat(store.current("cam-1")).isEqualTo(MaskSet.NONE);
            store.replace("cam-1", List.of(new PrivacyMask("home", PrivacyMask.Kind.PERMANENT, QUARTER)), "alice", T0);
            MaskStore.Change c = store.replace("cam-1", List.of(), "bob", T0.plusSeconds(60));
            assertThat(c.before().masks().version()).isEqualTo(1);
            assertThat(c.after().masks()).isEqualTo(new MaskSet(2, List.of()));
            store.replace("cam-2", List.of(new PrivacyMask("yard", PrivacyMask.Kind.LIFTABLE, QUARTER)), "alice", T0);

            List<MaskStore.Version> h = store.history("cam-1");
            assertThat(h).extracting(v -> v.masks().version()).containsExactly(1L, 2L);
            assertThat(h).extracting(MaskStore.Version::changedBy).containsExactly("alice", "bob");
            assertThat(h.get(0).validFrom()).isEqualTo(T0);
            assertThat(h.get(0).masks().masks().get(0).polygon()).isEqualTo(QUARTER);
            assertThat(store.currentAll()).containsOnlyKeys("cam-1", "cam-2");
            assertThat(store.currentAll().get("cam-2").masks().get(0).kind()).isEqualTo(PrivacyMask.Kind.LIFTABLE);
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void theUnmaskGrantIsStored(Database.Kind kind) throws Exception {
        try (Database db = TestStore.of(kind, dir).open()) {
            UserStore users = new UserStore(db);
            users.create(new UserRecord("sup", Role.SUPERVISOR, Set.of(), Set.of("north"), "x", 0, 0, 0,
                    Set.of("cam-1")), 0);
            assertThat(users.find("sup").orElseThrow().unmask()).containsExactly("cam-1");
            users.update("sup", Role.SUPERVISOR, Set.of(), Set.of("north"), Set.of("cam-2", "cam-3"), null);
            assertThat(users.find("sup").orElseThrow().unmask()).containsExactlyInAnyOrder("cam-2", "cam-3");
            users.update("sup", Role.SUPERVISOR, Set.of(), Set.of("north"), null);
            assertThat(users.find("sup").orElseThrow().unmask()).as("kept when not given")
                    .containsExactlyInAnyOrder("cam-2", "cam-3");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void anExportNamesTheMaskVersionItApplied(Database.Kind kind) throws Exception {
        try (Database db = TestStore.of(kind, dir).open()) {
            RegisterStore register = new RegisterStore(db, InstantSource.fixed(T0), "");
            register.recordExport(RegisterEntry.Kind.EXPORT, "cam-1", "main", T0.minusSeconds(60), T0, "sup", "police",
                    "PV-42", 100, 3);
            register.recordExport(RegisterEntry.Kind.EXPORT, "cam-1", "main", T0.minusSeconds(60), T0, "sup", "police",
                    "PV-42", 100, 3); // another byte range of the same export
            register.recordExport(RegisterEntry.Kind.EXPORT, "cam-1", "main", T0.minusSeconds(60), T0, "sup", "police",
                    "PV-42", 100, 4); // the same window under the next version: another entry
            register.recordExport(RegisterEntry.Kind.EXPORT, "cam-2", "main", T0.minusSeconds(60), T0, "sup", "police",
                    "PV-42", 100);
            List<RegisterEntry> all = register.query(Instant.EPOCH, T0.plusSeconds(1), null, RegisterEntry.Kind.EXPORT,
                    100);
            assertThat(all).extracting(RegisterEntry::cameraId, RegisterEntry::maskVersion)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("cam-1", 3L),
                            org.assertj.core.groups.Tuple.tuple("cam-1", 4L),
                            org.assertj.core.groups.Tuple.tuple("cam-2", null));
        }
    }
}

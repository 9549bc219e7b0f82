package org.vigie.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.store.LayoutStore.Layout;

/** The saved layouts in a real SQLite file: who they are visible to, what an update keeps, empty tiles kept. */
class LayoutStoreTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    @Test
    void aLayoutIsVisibleToItsOwnerAndToTheMembersOfItsGroupOnlyAndToEveryoneWithoutAGroupFilter() throws Exception {
        try (Database db = Database.open(dir.resolve("vms.db"))) {
            LayoutStore store = new LayoutStore(db);
            Layout mine = store.create("op1", "Mine", null, "2x2", Arrays.asList("cam-1", null, "cam-3", null), T0);
            Layout shared = store.create("sup", "Nord", "district-1", "1", List.of("cam-5"), T0);
            Layout other = store.create("sup", "Sud", "district-2", "1", List.of("cam-9"), T0);

            assertThat(store.visibleTo("op1", Set.of("district-1"))).extracting(Layout::name)
                    .containsExactly("Mine", "Nord");
            assertThat(store.visibleTo("op2", Set.of("district-1"))).extracting(Layout::name).containsExactly("Nord");
            assertThat(store.visibleTo("op3", Set.of())).isEmpty();
            assertThat(store.visibleTo("sup", Set.of())).extracting(Layout::name).containsExactly("Nord", "Sud");
            assertThat(store.visibleTo("admin", null)).extracting(Layout::id)
                    .containsExactlyInAnyOrder(mine.id(), shared.id(), other.id());

            Layout read = store.get(mine.id()).orElseThrow();
            assertThat(read.cameras()).containsExactly("cam-1", null, "cam-3", null);
            assertThat(read.owner()).isEqualTo("op1");
            assertThat(read.group()).isNull();
            assertThat(read.created()).isEqualTo(T0);
        }
    }

    @Test
    void anUpdateKeepsTheOwnerAndCreationAndADeleteIsFinal() throws Exception {
        try (Database db = Database.open(dir.resolve("vms.db"))) {
            LayoutStore store = new LayoutStore(db);
            Layout l = store.create("op1", "Mine", null, "1", List.of("cam-1"), T0);
            Instant later = T0.plusSeconds(60);
            Layout u = store.update(l.id(), "Mine v2", "district-1", "1+5", Arrays.asList("cam-2", null, null, null,
                    null, "cam-7"), later).orElseThrow();
            assertThat(u.owner()).isEqualTo("op1");
            assertThat(u.created()).isEqualTo(T0);
            assertThat(u.updated()).isEqualTo(later);
            assertThat(u.group()).isEqualTo("district-1");
            assertThat(u.cameras()).containsExactly("cam-2", null, null, null, null, "cam-7");
            assertThat(store.visibleTo("op2", Set.of("district-1"))).extracting(Layout::name).containsExactly("Mine v2");

            assertThat(store.update(l.id() + 1000, "x", null, "1", List.of(), later)).isEmpty();
            assertThat(store.delete(l.id())).isTrue();
            assertThat(store.delete(l.id())).isFalse();
            assertThat(store.get(l.id())).isEmpty();
        }
    }
}

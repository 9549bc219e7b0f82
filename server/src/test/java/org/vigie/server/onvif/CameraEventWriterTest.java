package org.vigie.server.onvif;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vigie.camera.CameraEvent;

class CameraEventWriterTest {

    private static CameraEvent motion(int n) {
        return new CameraEvent("cam-1", Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n),
                "RuleEngine/CellMotionDetector/Motion", CameraEvent.Type.MOTION, true, "", "<m n='" + n + "'/>");
    }

    @Test
    void storesEveryEventInTheOrderOffered() throws Exception {
        List<CameraEvent> stored = new CopyOnWriteArrayList<>();
        try (CameraEventWriter w = new CameraEventWriter(stored::add, 16)) {
            for (int i = 0; i < 10; i++) {
                assertThat(w.offer(motion(i))).isTrue();
            }
        } // close() stores what is queued
        assertThat(stored).extracting(CameraEvent::rawData)
                .containsExactly(java.util.stream.IntStream.range(0, 10).mapToObj(i -> "<m n='" + i + "'/>")
                        .toArray(String[]::new));
    }

    @Test
    void aStoreFailureIsCountedAndTheWriterGoesOn() throws Exception {
        List<CameraEvent> stored = new CopyOnWriteArrayList<>();
        CameraEventWriter w = new CameraEventWriter(e -> {
            if (e.rawData().contains("'1'")) {
                throw new SQLException("database is locked");
            }
            stored.add(e);
        }, 16);
        for (int i = 0; i < 3; i++) {
            w.offer(motion(i));
        }
        w.close();
        assertThat(w.failed()).isEqualTo(1);
        assertThat(w.stored()).isEqualTo(2);
        assertThat(stored).extracting(CameraEvent::rawData).containsExactly("<m n='0'/>", "<m n='2'/>");
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlockingTheSubscription() throws Exception {
        CountDownLatch inStore = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CameraEventWriter w = new CameraEventWriter(e -> {
            inStore.countDown();
            release.await(); // a database stalled by a long checkpoint
        }, 2);
        w.offer(motion(0));
        assertThat(inStore.await(5, TimeUnit.SECONDS)).isTrue(); // the writer holds event 0
        long start = System.nanoTime();
        assertThat(w.offer(motion(1))).isTrue();
        assertThat(w.offer(motion(2))).isTrue();
        assertThat(w.offer(motion(3))).isFalse();
        assertThat(w.offer(motion(4))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        assertThat(w.dropped()).isEqualTo(2);
        release.countDown();
        w.close();
        // every event offered is exactly one of stored, dropped or failed
        assertThat(w.stored() + w.dropped() + w.failed()).isEqualTo(5);
        assertThat(w.offer(motion(5))).as("closed writer refuses").isFalse();
    }
}

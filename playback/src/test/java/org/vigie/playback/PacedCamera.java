package org.vigie.playback;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vigie.stream.StreamHub;
import org.vigie.testing.TestClip;

/**
 * A live camera for tests: an endless loop of a clip into some hubs at its frame rate (real time, as a camera), frame
 * {@code n} at wall time {@code wall0 + n} frame durations, on its own thread until {@link #close}.
 */
public final class PacedCamera implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private PacedCamera(TestClip clip, long session, long wall0, List<StreamHub> hubs) {
        long frameNanos = 1_000_000_000L / clip.fps;
        thread = new Thread(() -> {
            long start = System.nanoTime();
            for (int n = 0; running.get(); n++) {
                for (StreamHub hub : hubs) {
                    hub.onFrame(clip.frame(session, n, wall0));
                }
                long sleep = start + (n + 1) * frameNanos - System.nanoTime();
                if (sleep > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "test-camera");
        thread.start();
    }

    /** Starts feeding {@code hubs}; {@code wall0} in µs since the epoch. */
    public static PacedCamera start(TestClip clip, long session, long wall0, StreamHub... hubs) {
        return new PacedCamera(clip, session, wall0, List.of(hubs));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}

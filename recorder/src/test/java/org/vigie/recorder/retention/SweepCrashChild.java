package org.vigie.recorder.retention;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.RecorderConfig;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.recorder.storage.StorageVolumes;

/**
 * The process {@link DeletionCrashTest} kills with SIGKILL: opens a storage, prints {@code ready}, then destroys
 * every segment, three at a time, as fast as it can, printing {@code deleted N} (segments so far) after each batch.
 */
public final class SweepCrashChild {

    private SweepCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path storage = Path.of(args[0]);
        InstantSource clock = InstantSource.system();
        RecordingRegister register = new FileRecordingRegister(FileRecordingRegister.defaultDir(storage), clock);
        Recorder recorder = Recorder.open(RecorderConfig.defaults(storage), clock, StorageVolumes.single(storage),
                register);
        System.out.println("ready");
        System.out.flush();
        long deleted = 0;
        for (StreamKey key : recorder.catalog().streams()) {
            List<SegmentInfo> all = recorder.catalog().segments(key);
            for (int i = 0; i < all.size(); i += 3) {
                List<SegmentInfo> batch = new ArrayList<>(all.subList(i, Math.min(all.size(), i + 3)));
                recorder.deleter().delete(key, batch, "manual", clock.instant());
                deleted += batch.size();
                System.out.println("deleted " + deleted);
            }
        }
        System.out.println("done");
        System.out.flush();
        Thread.sleep(60_000); // the parent kills us before this ends
    }
}

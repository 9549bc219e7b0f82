package org.vigie.recorder.retention;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.DeletionSteps;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.RecorderConfig;
import org.vigie.recorder.storage.SegmentDeleter;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.recorder.storage.StorageVolumes;

/**
 * The process {@link DeletionCrashTest} kills with SIGKILL: opens a storage, then destroys every segment, three at a
 * time, through a {@link SegmentDeleter} whose {@link DeletionSteps} stop it at one exact point of one batch
 * (arguments: storage, batch number from 1, {@link DeletionSteps.Step}, segment position in the batch or -1). There
 * it prints {@code stopped at <step> <segment> of batch <n>} and waits for the kill, holding every file and lock as
 * they are at that point. Prints {@code done} if the point never came.
 */
public final class SweepCrashChild {

    private SweepCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path storage = Path.of(args[0]);
        int stopBatch = Integer.parseInt(args[1]);
        DeletionSteps.Step stopStep = DeletionSteps.Step.valueOf(args[2]);
        int stopSegment = Integer.parseInt(args[3]);
        InstantSource clock = InstantSource.system();
        RecordingRegister register = new FileRecordingRegister(FileRecordingRegister.defaultDir(storage), clock);
        Recorder recorder = Recorder.open(RecorderConfig.defaults(storage), clock, StorageVolumes.single(storage),
                register);
        int[] batch = {0};
        DeletionSteps stop = (step, mark, segment) -> {
            if (step == DeletionSteps.Step.MARKED) batch[0]++;
            if (batch[0] == stopBatch && step == stopStep && segment == stopSegment) {
                System.out.println("stopped at " + step + " " + segment + " of batch " + batch[0]);
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE); // the parent kills us here
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        SegmentDeleter deleter = new SegmentDeleter(recorder.catalog(), recorder.openSegments(),
                recorder.volumes().roots(), register, stop);
        for (StreamKey key : recorder.catalog().streams()) {
            List<SegmentInfo> all = recorder.catalog().segments(key);
            for (int i = 0; i < all.size(); i += 3) {
                List<SegmentInfo> b = new ArrayList<>(all.subList(i, Math.min(all.size(), i + 3)));
                deleter.delete(key, b, "manual", clock.instant());
            }
        }
        System.out.println("done");
        System.out.flush();
    }
}

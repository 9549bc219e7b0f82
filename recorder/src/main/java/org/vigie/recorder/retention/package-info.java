/**
 * Retention, storage volumes, legal holds and the register of recordings (issue #6). Plain Java, clock injected.
 *
 * <ul>
 *   <li>{@link org.vigie.recorder.retention.VolumeSet}: several {@link org.vigie.recorder.retention.StorageVolume}s,
 *       new segments go to the one with most room ({@link org.vigie.recorder.retention.FreeSpace} injectable);</li>
 *   <li>{@link org.vigie.recorder.retention.RetentionSweeper}: scheduled, bounded sweeps destroying segments past
 *       their camera's {@link org.vigie.recorder.retention.RetentionPolicy} (30 days at most) and, under a volume's
 *       free-space target, the volume's oldest segments across cameras; never held or open segments;</li>
 *   <li>{@link org.vigie.recorder.retention.HoldRegistry} / {@link org.vigie.recorder.retention.FileHoldRegistry}:
 *       {@link org.vigie.recorder.retention.LegalHold}s in an fsynced JSON-lines journal;</li>
 *   <li>{@link org.vigie.recorder.retention.RecordingRegister}: the law's register (destructions, exports,
 *       transmissions), one JSON-lines file per day, fed by the crash-safe
 *       {@link org.vigie.recorder.storage.SegmentDeleter}.</li>
 * </ul>
 */
package org.vigie.recorder.retention;

/**
 * Plain-Java ISO BMFF (fragmented MP4) for one video track: {@link org.vigie.recorder.mp4.InitSegmentWriter} and
 * {@link org.vigie.recorder.mp4.FragmentWriter} write, {@link org.vigie.recorder.mp4.SegmentScanner} and
 * {@link org.vigie.recorder.mp4.FragmentParser} read back with bounds checks (malformed input gives a
 * {@link org.vigie.recorder.mp4.MalformedMp4Exception}, never an out-of-memory error or an endless loop).
 *
 * <p>Glossary used throughout the recorder: a <b>segment</b> is one standalone fragmented MP4 file (init segment
 * then fragments); a <b>fragment</b> is one {@code prft + moof + mdat} group of consecutive frames starting, except
 * in very long GOPs, with a key frame; a <b>span</b> is a run of segments without a gap.
 */
package org.vigie.recorder.mp4;

package org.vigie.gst.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.BufferFlags;
import org.freedesktop.gstreamer.glib.Natives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fixed GstBuffer offsets of {@link GstDirect} against two independent readers on this machine's GStreamer:
 * gst1-java-core's own struct mapping (PTS, DTS, flags) and GStreamer's exported {@code gst_buffer_get_flags};
 * and {@code gst_buffer_extract} into a {@code byte[]} against the bytes written through a map.
 */
class GstBufferLayoutTest {

    @BeforeAll
    static void init() {
        GstRuntime.ensureInitialized();
        GstDirect.checkLayout();
    }

    @Test
    void ptsDtsAndFlagsAreReadAtTheirStructOffsets() {
        Buffer buffer = new Buffer(16);
        try {
            // Values chosen so that a read one field off (pts vs dts vs duration) or a truncated read is caught.
            buffer.setPresentationTimestamp(0x0123_4567_89ABL);
            buffer.setDecodeTimestamp(0x0BA9_8765_4321L);
            buffer.setDuration(40_000_000L);
            buffer.setFlags(EnumSet.of(BufferFlags.DELTA_UNIT, BufferFlags.DISCONT));
            Pointer p = Natives.getRawPointer(buffer);

            assertThat(GstDirect.pts(p)).isEqualTo(buffer.getPresentationTimestamp()).isEqualTo(0x0123_4567_89ABL);
            assertThat(GstDirect.dts(p)).isEqualTo(buffer.getDecodeTimestamp()).isEqualTo(0x0BA9_8765_4321L);
            int flags = GstDirect.flags(p);
            assertThat(flags).isEqualTo(GstDirect.gst_buffer_get_flags(p));
            assertThat(flags & GstDirect.BUFFER_FLAG_DELTA_UNIT).isNotZero();

            buffer.unsetFlags(EnumSet.of(BufferFlags.DELTA_UNIT));
            assertThat(GstDirect.flags(p) & GstDirect.BUFFER_FLAG_DELTA_UNIT).as("a key frame").isZero();
            assertThat(GstDirect.flags(p)).isEqualTo(GstDirect.gst_buffer_get_flags(p));
        } finally {
            buffer.dispose();
        }
    }

    @Test
    void noTimestampReadsAsClockTimeNone() {
        Buffer buffer = new Buffer(4);
        try {
            assertThat(GstDirect.pts(Natives.getRawPointer(buffer))).isEqualTo(GstDirect.CLOCK_TIME_NONE);
        } finally {
            buffer.dispose();
        }
    }

    @Test
    void extractCopiesTheWholeBufferIntoAByteArray() {
        Buffer buffer = new Buffer(1000);
        try {
            ByteBuffer w = buffer.map(true);
            for (int i = 0; i < 1000; i++) {
                w.put((byte) (i * 7 + 3));
            }
            buffer.unmap();
            Pointer p = Natives.getRawPointer(buffer);
            assertThat(GstDirect.gst_buffer_get_size(p)).isEqualTo(1000);
            byte[] out = new byte[1000];
            assertThat(GstDirect.gst_buffer_extract(p, 0, out, out.length)).isEqualTo(1000);
            for (int i = 0; i < 1000; i++) {
                assertThat(out[i]).as("byte %d", i).isEqualTo((byte) (i * 7 + 3));
            }
        } finally {
            buffer.dispose();
        }
    }
}

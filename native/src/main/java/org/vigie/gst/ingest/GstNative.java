package org.vigie.gst.ingest;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import org.vigie.media.NtpTime;

/**
 * The few GStreamer/GLib C functions gst1-java-core 1.4 does not expose: the error domain and debug text of a bus
 * ERROR message, and the reference-timestamp meta (RTCP SR NTP time) of a buffer. Stateless; thread-safe.
 */
final class GstNative {

    /** Offset of {@code timestamp} in {@code GstReferenceTimestampMeta} (GstMeta{flags,info*}, GstCaps*). */
    static final long REFERENCE_META_TIMESTAMP_OFFSET = 8 + 8 + 8;

    interface Gst extends Library {
        void gst_message_parse_error(Pointer message, PointerByReference gerror, PointerByReference debug);

        Pointer gst_caps_from_string(String caps);

        void gst_util_set_object_arg(Pointer object, String name, String value);
    }

    interface GLib extends Library {
        void g_error_free(Pointer error);

        void g_free(Pointer p);

        String g_quark_to_string(int quark);
    }

    static final Gst GST = Native.load("gstreamer-1.0", Gst.class);
    static final GLib GLIB = Native.load("glib-2.0", GLib.class);

    /** Caps {@code timestamp/x-ntp}: created once, intentionally never freed (one per process). */
    private static final Pointer NTP_CAPS = GST.gst_caps_from_string("timestamp/x-ntp");
    private static final long NTP_CAPS_ADDRESS = Pointer.nativeValue(NTP_CAPS);


    private GstNative() {
    }

    /** What {@code gst_message_parse_error} tells: the GError domain, code and message, and the debug text. */
    record ErrorDetails(String domain, int code, String message, String debug) {
    }

    static ErrorDetails parseError(Pointer message) {
        PointerByReference err = new PointerByReference();
        PointerByReference dbg = new PointerByReference();
        GST.gst_message_parse_error(message, err, dbg);
        String domain = "";
        int code = 0;
        String text = "";
        String debug = "";
        Pointer e = err.getValue();
        if (e != null) {
            domain = GLIB.g_quark_to_string(e.getInt(0));
            code = e.getInt(4);
            Pointer m = e.getPointer(8);
            text = m == null ? "" : m.getString(0, "UTF-8");
            GLIB.g_error_free(e);
        }
        Pointer d = dbg.getValue();
        if (d != null) {
            debug = d.getString(0, "UTF-8");
            GLIB.g_free(d);
        }
        return new ErrorDetails(domain == null ? "" : domain, code, text, debug);
    }

    /** {@link #referenceNtpMicros(Pointer)} on a raw address, without allocating (streaming threads). */
    static long referenceNtpMicros(long buffer) {
        long meta = GstDirect.Raw.gst_buffer_get_reference_timestamp_meta(buffer, NTP_CAPS_ADDRESS);
        if (meta == 0) {
            return Long.MIN_VALUE;
        }
        long ntpNanos = GstDirect.readLong(meta + REFERENCE_META_TIMESTAMP_OFFSET);
        return NtpTime.microsFromNanosSince1900(ntpNanos);
    }

    /**
     * The NTP time (as Unix microseconds) that rtpjitterbuffer attached to the buffer after RTCP sender-report
     * synchronisation, or {@link Long#MIN_VALUE} when the buffer has none.
     */
    static long referenceNtpMicros(Pointer buffer) {
        Pointer meta = GstDirect.gst_buffer_get_reference_timestamp_meta(buffer, NTP_CAPS);
        if (meta == null) {
            return Long.MIN_VALUE;
        }
        long ntpNanos = meta.getLong(REFERENCE_META_TIMESTAMP_OFFSET);
        return NtpTime.microsFromNanosSince1900(ntpNanos);
    }
}

package org.vigie.gst.ingest;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The per-frame GStreamer C calls, bound by JNA <em>direct mapping</em> ({@code Native.register}): a static native
 * method per C function, called without the reflection, argument boxing and {@code NativeObject} wrappers of
 * interface mapping and gst1-java-core. Only what the appsink callback needs: pull the sample, read the buffer's
 * size, PTS/DTS and flags, copy its bytes into a {@code byte[]}, read its reference-timestamp meta, and release it.
 * Plus the registration of the appsink's C callback table (see {@link Callbacks}).
 *
 * <p>The {@code GstBuffer} fields are read at fixed offsets of the GStreamer 1.x x86_64/aarch64 ABI (stable since
 * 1.0): {@code GstMiniObject} is 64 bytes (type 8, refcount 4, lockstate 4, flags 4 + 4 padding, copy/dispose/free
 * 3 x 8, priv_uint 4 + 4 padding, priv_pointer 8), then {@code pool} at 64, {@code pts} at 72, {@code dts} at 80.
 * {@code GstBufferLayoutTest} checks them against gst1-java-core's own struct mapping and GStreamer's accessors
 * on this machine; {@link #checkLayout()} refuses to run on a 32-bit ABI.
 *
 * <p>Stateless; every method may be called from any thread (GStreamer's own thread-safety rules apply: the
 * sample and buffer are owned by the calling streaming thread).
 */
final class GstDirect {

    /** Offset of {@code GstMiniObject.flags} (GST_BUFFER_FLAGS). */
    static final long MINI_OBJECT_FLAGS = 16;
    /** Offset of {@code GstBuffer.pts} (GST_BUFFER_PTS). */
    static final long BUFFER_PTS = 72;
    /** Offset of {@code GstBuffer.dts} (GST_BUFFER_DTS). */
    static final long BUFFER_DTS = 80;
    /** {@code GST_BUFFER_FLAG_DELTA_UNIT}: the buffer cannot be decoded on its own (not a key frame). */
    static final int BUFFER_FLAG_DELTA_UNIT = 1 << 13;
    /** {@code GST_CLOCK_TIME_NONE}. */
    static final long CLOCK_TIME_NONE = -1L;
    /** {@code GST_FLOW_OK}. */
    static final int FLOW_OK = 0;
    /** Size of {@code GstAppSinkCallbacks} in 1.22 (eos, new_preroll, new_sample, new_event + 3 reserved) and
     *  later releases (same size, reserved slots reused); allocated with slack, zero-filled. */
    static final int APP_SINK_CALLBACKS_SIZE = 16 * Native.POINTER_SIZE;
    /** Offset of {@code new_sample} in {@code GstAppSinkCallbacks}. */
    static final long APP_SINK_CALLBACKS_NEW_SAMPLE = 2L * Native.POINTER_SIZE;

    static {
        Native.register(GstDirect.class, "gstreamer-1.0");
    }

    private GstDirect() {
    }

    /** Fails fast where the fixed offsets above do not hold. */
    static void checkLayout() {
        if (Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8) {
            throw new UnsupportedOperationException("GstBuffer offsets are those of a 64-bit ABI");
        }
    }

    /** {@code GstBuffer *gst_sample_get_buffer (GstSample *)}: borrowed, valid while the sample is. */
    static native Pointer gst_sample_get_buffer(Pointer sample);

    /** {@code GstCaps *gst_sample_get_caps (GstSample *)}: borrowed, valid while the sample is. */
    static native Pointer gst_sample_get_caps(Pointer sample);

    /** {@code gsize gst_buffer_get_size (GstBuffer *)}. */
    static native long gst_buffer_get_size(Pointer buffer);

    /** {@code gsize gst_buffer_extract (GstBuffer *, gsize offset, gpointer dest, gsize size)}: copies every memory
     *  of the buffer, without merging them as {@code gst_buffer_map} would. */
    static native long gst_buffer_extract(Pointer buffer, long offset, byte[] dest, long size);

    /** {@code GstBufferFlags gst_buffer_get_flags (GstBuffer *)} (for the layout test). */
    static native int gst_buffer_get_flags(Pointer buffer);

    /** {@code GstReferenceTimestampMeta *gst_buffer_get_reference_timestamp_meta (GstBuffer *, GstCaps *)}. */
    static native Pointer gst_buffer_get_reference_timestamp_meta(Pointer buffer, Pointer referenceCaps);

    /** {@code gchar *gst_caps_to_string (const GstCaps *)}: free the result with {@code g_free}. */
    static native Pointer gst_caps_to_string(Pointer caps);

    /** {@code GstMiniObject *gst_mini_object_ref (GstMiniObject *)}. */
    static native Pointer gst_mini_object_ref(Pointer object);

    /** {@code void gst_mini_object_unref (GstMiniObject *)}. */
    static native void gst_mini_object_unref(Pointer object);

    /** GST_BUFFER_PTS, read from the struct. */
    static long pts(Pointer buffer) {
        return buffer.getLong(BUFFER_PTS);
    }

    /** GST_BUFFER_DTS, read from the struct. */
    static long dts(Pointer buffer) {
        return buffer.getLong(BUFFER_DTS);
    }

    /** GST_BUFFER_FLAGS, read from the struct. */
    static int flags(Pointer buffer) {
        return buffer.getInt(MINI_OBJECT_FLAGS);
    }

    /** The caps as GStreamer's serialised string (e.g. {@code video/x-h264, width=(int)1280, ...}). */
    static String capsToString(Pointer caps) {
        Pointer s = gst_caps_to_string(caps);
        if (s == null) {
            return "";
        }
        try {
            return s.getString(0, "UTF-8");
        } finally {
            GLibDirect.g_free(s);
        }
    }

    // ---- The same calls on raw addresses (long): nothing to allocate on a streaming thread, where the heap may be
    // full (a Pointer argument or result is a Java object, and JNA's callback glue crashes the JVM when it cannot
    // allocate one). Bound in {@link Raw}.

    /** {@code GstMessage.type} offset (after the 64-byte GstMiniObject). */
    static final long MESSAGE_TYPE = 64;
    static final int MESSAGE_EOS = 1;
    static final int MESSAGE_ERROR = 1 << 1;
    /** {@code GST_BUS_DROP}. */
    static final int BUS_DROP = 0;
    /** {@code GST_FLOW_FLUSHING}: what a sink answers once its pipeline is being torn down. */
    static final int FLOW_FLUSHING = -2;
    /** {@code GST_STATE_NULL}. */
    static final int STATE_NULL = 1;
    static final int STATE_CHANGE_FAILURE = 0;
    static final int STATE_CHANGE_ASYNC = 2;

    /** Direct-mapped GStreamer calls on raw addresses (see above). */
    static final class Raw {
        static {
            Native.register(Raw.class, "gstreamer-1.0");
        }

        private Raw() {
        }

        static native long gst_sample_get_buffer(long sample);

        static native long gst_sample_get_caps(long sample);

        static native long gst_buffer_get_size(long buffer);

        static native long gst_buffer_extract(long buffer, long offset, byte[] dest, long size);

        static native long gst_mini_object_ref(long object);

        static native void gst_mini_object_unref(long object);

        static native long gst_object_ref(long object);

        static native void gst_object_unref(long object);

        static native int gst_element_set_state(long element, int state);

        /** {@code gst_element_get_state(element, NULL, NULL, timeout_ns)}: waits for an ASYNC change to end. */
        static native int gst_element_get_state(long element, long state, long pending, long timeoutNanos);

        static native long gst_pipeline_get_bus(long pipeline);

        static native void gst_bus_set_sync_handler(long bus, Callback handler, long userData, long notify);

        /** A message of one of the types (a new reference, or 0); discards the others queued before it. */
        static native long gst_bus_pop_filtered(long bus, int types);

        static native long gst_parse_bin_from_description(String description, boolean ghostUnlinkedPads,
                                                          long error);

        static native long gst_element_factory_make(String factory, long name);

        static native boolean gst_bin_add(long bin, long element);

        static native boolean gst_element_link(long src, long dest);

        static native boolean gst_element_sync_state_with_parent(long element);

        static native long gst_element_get_static_pad(long element, String name);

        static native int gst_pad_link(long src, long sink);

        static native long gst_pad_get_current_caps(long pad);

        static native long gst_pad_query_caps(long pad, long filter);

        static native long gst_caps_to_string(long caps);

        static native void gst_util_set_object_arg(long object, String name, String value);

        static native long gst_buffer_get_reference_timestamp_meta(long buffer, long referenceCaps);
    }

    /** GObject calls on raw addresses. */
    static final class RawGObject {
        static {
            Native.register(RawGObject.class, "gobject-2.0");
        }

        private RawGObject() {
        }

        static native long g_signal_connect_data(long instance, String signal, PadAdded handler, long data,
                                                 long destroy, int flags);

        static native void g_signal_handler_disconnect(long instance, long handlerId);
    }

    /** The appsink call on raw addresses. */
    static final class RawApp {
        static {
            Native.register(RawApp.class, "gstapp-1.0");
        }

        private RawApp() {
        }

        static native long gst_app_sink_pull_sample(long appSink);

        static native void gst_app_sink_set_callbacks(long appSink, Pointer callbacks, long userData, long notify);
    }

    /** The {@code pad-added} signal of an element: {@code void (*)(GstElement *, GstPad *, gpointer)}. */
    interface PadAdded extends Callback {
        void invoke(long element, long pad, long userData);
    }

    /** The caps as a string, from a raw address. */
    static String capsToString(long caps) {
        long s = Raw.gst_caps_to_string(caps);
        if (s == 0) {
            return "";
        }
        try {
            return new Pointer(s).getString(0, "UTF-8");
        } finally {
            GLibDirect.g_free(new Pointer(s));
        }
    }

    /** GST_BUFFER_PTS from a raw address. */
    static long pts(long buffer) {
        return UNSAFE.getLong(buffer + BUFFER_PTS);
    }

    /** GST_BUFFER_DTS from a raw address. */
    static long dts(long buffer) {
        return UNSAFE.getLong(buffer + BUFFER_DTS);
    }

    /** GST_BUFFER_FLAGS from a raw address. */
    static int flags(long buffer) {
        return UNSAFE.getInt(buffer + MINI_OBJECT_FLAGS);
    }

    /** A 64-bit value at a raw address. */
    static long readLong(long address) {
        return UNSAFE.getLong(address);
    }

    /** {@code GstMessage.type} from a raw address. */
    static int messageType(long message) {
        return UNSAFE.getInt(message + MESSAGE_TYPE);
    }

    /** Reads native memory at a raw address without allocating (JNA's Pointer would be an object per read). */
    private static final sun.misc.Unsafe UNSAFE;

    static {
        try {
            java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            UNSAFE = (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * {@code GstAppSinkCallbacks.new_sample}: {@code GstFlowReturn (*)(GstAppSink *appsink, gpointer user_data)},
     * called on the appsink's streaming thread for each sample. Only {@code Pointer} and primitive types, so that JNA
     * builds a direct callback (JNI straight into {@link #invoke}, no reflection).
     */
    interface NewSample extends Callback {
        int invoke(long appSink, long userData);
    }

    /** The appsink C calls, from {@code libgstapp-1.0} (direct mapping binds one library per class). */
    static final class App {
        static {
            Native.register(App.class, "gstapp-1.0");
        }

        private App() {
        }

        /** {@code GstSample *gst_app_sink_pull_sample (GstAppSink *)}: a new reference, or null at EOS/flushing. */
        static native Pointer gst_app_sink_pull_sample(Pointer appSink);

        /** {@code void gst_app_sink_set_callbacks (GstAppSink *, GstAppSinkCallbacks *, gpointer, GDestroyNotify)};
         *  the table is copied by GStreamer. */
        static native void gst_app_sink_set_callbacks(Pointer appSink, Pointer callbacks, Pointer userData,
                                                      Pointer notify);
    }

    /** The two GLib calls needed here, from {@code libglib-2.0}. */
    static final class GLibDirect {
        static {
            Native.register(GLibDirect.class, "glib-2.0");
        }

        private GLibDirect() {
        }

        static native void g_free(Pointer p);

        /**
         * {@code void g_atomic_pointer_set (volatile void *atomic, gpointer newval)}: used to store the C function
         * pointer of a direct callback into a callback table (JNA converts a {@link Callback} argument of a
         * direct-mapped method into a direct callback's code address; a Structure field would get a slower,
         * reflective one).
         */
        static native void g_atomic_pointer_set(Pointer atomic, NewSample newval);
    }
}

package org.vigie.gst.ingest;

import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Version;

/**
 * The process-wide GStreamer runtime: {@code Gst.init} runs once per JVM, with the 1.16 API level (without a
 * {@link Version}, gst1-java-core assumes 1.8 and refuses {@code Buffer.getFlags()}).
 *
 * <p>Invariant: after {@link #ensureInitialized()} returns, GStreamer is initialised for the life of the JVM; it is
 * never de-initialised (pipelines of other cameras may still run). Thread-safe (class-holder idiom).
 */
public final class GstRuntime {

    /** The GStreamer API level this module is written against. */
    public static final Version API = Version.of(1, 16);

    private GstRuntime() {
    }

    private static final class Holder {
        static final String VERSION;

        static {
            if (!Gst.isInitialized()) {
                Gst.init(API, "vigie");
            }
            VERSION = Gst.getVersionString();
        }
    }

    /** Initialises GStreamer if needed; returns its version string, e.g. "GStreamer 1.22.0". */
    public static String ensureInitialized() {
        return Holder.VERSION;
    }
}

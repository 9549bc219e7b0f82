/** Snapshots: one key frame decoded to a JPEG through GStreamer (the only GStreamer code outside ingest). */
package org.vigie.gst.snapshot;

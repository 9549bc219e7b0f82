package org.vigie.playback.rtsp;

import io.netty.channel.EventLoop;
import org.vigie.rtsp.server.RtpSender;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.stream.StreamHub;

/**
 * One RTSP session: what it plays ({@link RtspTarget}), its RTP stream and where it goes ({@link RtpSender}, with the
 * rtsp library's output), the base of its RTP clock, and its {@link Feed}, created at the first PLAY. Controlled by its connection's handler (one request at a time);
 * the feed does its own locking.
 */
final class RtspSession {

    private final String id;
    private final RtspTarget target;
    private final RtpSender rtp;
    private final int timestampBase;
    private Feed feed;
    private boolean audited;
    private boolean positioned;

    RtspSession(String id, RtspTarget target, RtpSender rtp, int timestampBase) {
        this.id = id;
        this.target = target;
        this.rtp = rtp;
        this.timestampBase = timestampBase;
    }

    String id() {
        return id;
    }

    RtspTarget target() {
        return target;
    }

    RtpSender rtp() {
        return rtp;
    }

    int timestampBase() {
        return timestampBase;
    }

    synchronized LiveFeed liveFeed(StreamHub hub, EventLoop loop) {
        if (feed == null) feed = new LiveFeed(hub, rtp, loop, timestampBase);
        return (LiveFeed) feed;
    }

    synchronized ArchiveFeed archiveFeed(ArchiveReader reader, java.util.concurrent.ScheduledExecutorService executor) {
        return archiveFeed(reader, executor, null);
    }

    /** @param masked makes the masked re-encode of a masked camera (called once, when the feed is created), or null */
    synchronized ArchiveFeed archiveFeed(ArchiveReader reader, java.util.concurrent.ScheduledExecutorService executor,
                                         java.util.function.Function<org.vigie.playback.privacy.MaskedSender.Target, org.vigie.playback.privacy.MaskedSender> masked) {
        if (feed == null) {
            feed = new ArchiveFeed(reader, target.key(), rtp, executor, System::nanoTime, timestampBase,
                    masked);
        }
        return (ArchiveFeed) feed;
    }

    /**
     * Moves a live feed to another hub (the privacy masks changed, issue 14); false when this session has no live
     * feed yet (the next PLAY takes the connection's hub then).
     */
    synchronized boolean switchLive(StreamHub hub) {
        if (!(feed instanceof LiveFeed live)) return false;
        live.switchTo(hub);
        return true;
    }

    /**
     * New privacy masks for this archive session (issue 14): true when they apply from the replay's next key frame
     * (a masked replay) or at the next PLAY (no feed yet); false when the replay cannot take them.
     */
    synchronized boolean switchArchiveMasks(org.vigie.base.privacy.MaskSet masks) {
        if (feed == null) return true;
        return feed instanceof ArchiveFeed a && a.masks(masks);
    }

    synchronized boolean hasFeed() {
        return feed != null;
    }

    boolean audited() {
        return audited;
    }

    void markAudited() {
        audited = true;
    }

    boolean positioned() {
        return positioned;
    }

    void markPositioned() {
        positioned = true;
    }

    synchronized void pause() {
        if (feed != null) feed.pause();
    }

    synchronized void onWritable() {
        if (feed != null) feed.onWritable();
    }

    synchronized long dropped() {
        return feed == null ? 0 : feed.dropped();
    }

    synchronized void close() {
        if (feed != null) feed.close();
    }
}

package org.vigie.playback.rtsp;

import org.vigie.playback.MediaSources;
import org.vigie.playback.PlaybackAccess;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every connection handler of one {@link RtspServer} shares: the media and security it serves, the bounded
 * worker executor for requests, the archive senders' executor, the UDP port pair RTP and RTCP are sent from, and how often a
 * playing session's user and right are re-checked, and whether the listener is TLS or refuses credentials in
 * clear, and the masked live streams of masked cameras ({@code maskedHubs}; null: a masked camera is refused).
 * Immutable.
 */
record RtspContext(MediaSources sources, PlaybackAccess access, Executor workers, ScheduledExecutorService archiveExecutor,
                   org.vigie.rtsp.server.UdpPortPair udp, int maxPayload, java.time.Duration recheckInterval,
                   int sessionTimeoutSeconds, RtspServer.Security security,
                   org.vigie.playback.privacy.MaskedHubs maskedHubs) {
}

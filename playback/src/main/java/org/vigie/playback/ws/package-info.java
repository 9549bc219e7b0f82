/**
 * Live and archive video to browsers and other clients over one multiplexed WebSocket ({@code /api/v1/stream},
 * protocol in {@code docs/streaming.md}), and the player page.
 *
 * <p>Data flow: a camera stream's {@link org.vigie.stream.StreamHub} (one pull per camera) offers each frame to a
 * bounded {@link org.vigie.stream.ViewerQueue} per live channel; the connection's event loop drains it through
 * {@link org.vigie.playback.ws.Fmp4Muxer} (the recorder's own fMP4 writers) into binary messages
 * ({@link org.vigie.playback.ws.MediaMessage}). Archive channels read the archive on the endpoint's archive
 * threads and pace it there. Blocking work (authentication, rights, audit, disk) never runs on an event loop.
 *
 * <p>Glossary: a <b>connection</b> is one WebSocket; a <b>channel</b> is one camera stream (live or archive) carried
 * on a connection, named by the client's integer id; a <b>message</b> is one WebSocket message.
 */
package org.vigie.playback.ws;

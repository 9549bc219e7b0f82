/**
 * RTP payload formats shared by whoever sends RTP (the camera simulator, the server's RTSP re-stream): plain Java,
 * no Netty, no GStreamer.
 */
package org.vigie.media.rtp;

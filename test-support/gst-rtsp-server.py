#!/usr/bin/python3
"""Test peer for Vigie's ingest: serves K simulated H.264 cameras over RTSP on 127.0.0.1.

Each mount point /cam1 .. /camK is (with --codec h264, the default)
    videotestsrc is-live=true ! video/x-raw,width=W,height=H,framerate=FPS/1 !
    x264enc tune=zerolatency key-int-max=GOP bframes=0 bitrate=KBPS ! rtph264pay name=pay0 pt=96
shared between clients of the same mount. With --user/--password every mount requires HTTP basic
authentication (GstRTSPAuth), or Digest with --digest; a wrong password gets "401 Unauthorized". With
--tls-cert/--tls-key (PEM) the server speaks RTSPS (TLS from the first byte). With --udp-only it
refuses RTP over TCP ("461 Unsupported transport"), as some cameras do; RTP then goes over UDP to the
client's ports on 127.0.0.1.

Prints "READY <port>" on stdout, flushed, once the server listens. Stops on SIGTERM/SIGINT or when stdin
reaches end of file (so a test JVM that dies never leaves it behind when stdin is a pipe).
Network: binds 127.0.0.1 only; no multicast.
"""
import argparse
import signal
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstRtsp", "1.0")
from gi.repository import Gio, GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, default=8554, help="TCP port for RTSP (0 = pick a free one)")
    p.add_argument("--cameras", type=int, default=1, help="number of mount points /cam1../camK")
    p.add_argument("--width", type=int, default=320)
    p.add_argument("--height", type=int, default=240)
    p.add_argument("--fps", type=int, default=25)
    p.add_argument("--gop", type=int, default=50, help="x264enc key-int-max (frames between IDRs)")
    p.add_argument("--bitrate", type=int, default=256, help="x264enc bitrate, kbit/s")
    p.add_argument("--codec", choices=["h264", "h265", "vp8"], default="h264",
                   help="h265 (x265enc) and vp8 (to test unsupported codecs) exist for tests")
    p.add_argument("--user", default=None, help="require basic auth with this user")
    p.add_argument("--password", default=None)
    p.add_argument("--digest", action="store_true", help="Digest authentication (MD5) instead of basic")
    p.add_argument("--tls-cert", default=None, help="PEM certificate: serve RTSPS")
    p.add_argument("--tls-key", default=None, help="PEM private key of --tls-cert")
    p.add_argument("--udp-only", action="store_true", help="refuse RTP over TCP (461), serve RTP over UDP only")
    p.add_argument("--watch-stdin", action="store_true", help="exit when stdin is closed")
    a = p.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(a.port))

    auth = None
    if a.user is not None or a.tls_cert is not None:
        auth = GstRtspServer.RTSPAuth()
    if a.user is not None:
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "viewer")
        if a.digest:
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
            auth.add_digest(a.user, a.password or "", token)
        else:
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(a.user, a.password or ""), token)
    if a.tls_cert is not None:
        auth.set_tls_certificate(Gio.TlsCertificate.new_from_files(a.tls_cert, a.tls_key))
        if a.user is None:
            # without users, anonymous clients still need the right to build and access the media
            anonymous = GstRtspServer.RTSPToken()
            anonymous.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "anonymous")
            auth.set_default_token(anonymous)
    if auth is not None:
        server.set_auth(auth)

    encoders = {
        "h264": "x264enc tune=zerolatency speed-preset=ultrafast key-int-max={g} bframes=0 bitrate={b} ! "
                "rtph264pay name=pay0 pt=96 config-interval=-1",
        "h265": "x265enc tune=zerolatency speed-preset=ultrafast key-int-max={g} bitrate={b} ! "
                "rtph265pay name=pay0 pt=96 config-interval=-1",
        "vp8": "vp8enc deadline=1 keyframe-max-dist={g} ! rtpvp8pay name=pay0 pt=96",
    }
    launch = ("( videotestsrc is-live=true pattern=ball ! video/x-raw,width={w},height={h},framerate={f}/1 ! "
              + encoders[a.codec] + " )").format(w=a.width, h=a.height, f=a.fps, g=a.gop, b=a.bitrate)
    mounts = server.get_mount_points()
    for i in range(1, a.cameras + 1):
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(launch)
        factory.set_shared(True)
        if a.udp_only:
            factory.set_protocols(GstRtsp.RTSPLowerTrans.UDP)
        # A stopped client must release the shared media so that the last one leaving stops encoding.
        factory.set_suspend_mode(GstRtspServer.RTSPSuspendMode.NONE)
        if auth is not None:
            permissions = GstRtspServer.RTSPPermissions()
            for role in ("viewer", "anonymous"):
                permissions.add_permission_for_role(role, "media.factory.access", True)
                permissions.add_permission_for_role(role, "media.factory.construct", True)
            factory.set_permissions(permissions)
        mounts.add_factory("/cam%d" % i, factory)

    loop = GLib.MainLoop()
    server_id = server.attach(None)
    if server_id == 0:
        print("ERROR cannot listen on 127.0.0.1:%d" % a.port, flush=True)
        sys.exit(2)
    # Periodically drop sessions whose client vanished (timeouts), as a long-running server should.
    GLib.timeout_add_seconds(2, lambda: (server.get_session_pool().cleanup(), True)[1])

    def stop(*_):
        GLib.idle_add(loop.quit)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if a.watch_stdin:
        def watch():
            sys.stdin.read()
            stop()
        threading.Thread(target=watch, daemon=True).start()

    print("READY %d" % server.get_bound_port(), flush=True)
    loop.run()


if __name__ == "__main__":
    main()

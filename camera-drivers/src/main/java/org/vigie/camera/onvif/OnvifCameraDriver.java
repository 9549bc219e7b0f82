package org.vigie.camera.onvif;

import static org.vigie.camera.onvif.OnvifNamespaces.TDS;
import static org.vigie.camera.onvif.OnvifNamespaces.TRT;
import static org.vigie.camera.onvif.OnvifNamespaces.TT;
import static org.vigie.camera.onvif.SecureXml.attribute;
import static org.vigie.camera.onvif.SecureXml.child;
import static org.vigie.camera.onvif.SecureXml.children;
import static org.vigie.camera.onvif.SecureXml.path;
import static org.vigie.camera.onvif.SecureXml.text;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.CameraDriverException.Kind;
import org.vigie.camera.CameraEventListener;
import org.vigie.camera.CameraStreams;
import org.vigie.camera.DeviceInfo;
import org.vigie.camera.MediaProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * The ONVIF driver of one camera: device information, clock synchronisation, service discovery, media profiles,
 * stream and snapshot URIs, snapshots, and access to the PTZ ({@link OnvifPtz}) and event
 * ({@link PullPointSubscription}) services.
 *
 * <p>Usage: {@link #synchronizeClock()} first (WS-UsernameToken digests are stamped with the camera's clock),
 * then any operation. Every call is bounded by the {@link SoapClient}'s timeout and fails with a
 * {@link CameraDriverException}.
 *
 * <p>Service addresses announced by the camera are re-based onto the host and port of the device service URI
 * the driver was given: cameras behind NAT or a port forward announce their private address. Stream and snapshot
 * URIs keep their path and query but are moved onto the camera: snapshot (HTTP) URIs onto the scheme, host and
 * port of the device service like the service addresses, stream (RTSP) URIs onto its host with their announced
 * scheme and port; user information dropped: a spoofed or compromised camera cannot make the server connect elsewhere and
 * hand the camera's credentials to another host (SSRF).
 *
 * <p>Thread-safe: calls may come from any thread; the only state is the cached {@link ServiceAddresses}.
 */
public final class OnvifCameraDriver {

    private static final Logger LOG = LoggerFactory.getLogger(OnvifCameraDriver.class);
    private static final int MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

    private final String cameraId;
    private final URI deviceService;
    private final SoapClient soap;
    private volatile ServiceAddresses services;

    public OnvifCameraDriver(String cameraId, URI deviceService, SoapClient soap) {
        this.cameraId = Objects.requireNonNull(cameraId, "cameraId");
        this.deviceService = Objects.requireNonNull(deviceService, "deviceService");
        this.soap = Objects.requireNonNull(soap, "soap");
    }

    public String cameraId() {
        return cameraId;
    }

    public URI deviceService() {
        return deviceService;
    }

    SoapClient soap() {
        return soap;
    }

    /**
     * Reads the camera's UTC clock ({@code GetSystemDateAndTime}, unauthenticated) and sets the offset used for
     * WS-UsernameToken stamps: {@code offset = camera UTC - local UTC} at the middle of the exchange.
     *
     * @return the offset now in use
     */
    public Duration synchronizeClock() throws CameraDriverException {
        Instant before = soap.clock().instant();
        Element response = soap.callAnonymous(deviceService, "<tds:GetSystemDateAndTime xmlns:tds=\"" + TDS + "\"/>");
        Instant after = soap.clock().instant();
        Instant cameraUtc = parseSystemDateAndTime(response);
        Instant middle = before.plus(Duration.between(before, after).dividedBy(2));
        Duration offset = Duration.between(middle, cameraUtc);
        soap.clockOffset(offset);
        return offset;
    }

    static Instant parseSystemDateAndTime(Element response) throws CameraDriverException {
        Element sdt = child(response, "SystemDateAndTime").orElseThrow(() -> malformed("no SystemDateAndTime"));
        Optional<Element> utc = child(sdt, "UTCDateTime");
        if (utc.isPresent()) {
            return dateTime(utc.get(), ZoneOffset.UTC);
        }
        // Some firmwares give only LocalDateTime with a POSIX TZ such as "CET-1CEST,M3.5.0,M10.5.0/3".
        Element local = child(sdt, "LocalDateTime").orElseThrow(() -> malformed("neither UTC nor local time"));
        return dateTime(local, posixOffset(text(sdt, "TimeZone", "TZ")));
    }

    private static Instant dateTime(Element dt, ZoneOffset zone) throws CameraDriverException {
        try {
            return ZonedDateTime.of(
                    Integer.parseInt(text(dt, "Date", "Year")), Integer.parseInt(text(dt, "Date", "Month")),
                    Integer.parseInt(text(dt, "Date", "Day")), Integer.parseInt(text(dt, "Time", "Hour")),
                    Integer.parseInt(text(dt, "Time", "Minute")), Integer.parseInt(text(dt, "Time", "Second")),
                    0, zone).toInstant();
        } catch (RuntimeException e) {
            throw new CameraDriverException(Kind.MALFORMED, "bad date/time: " + e.getMessage(), e);
        }
    }

    /** The standard-time offset of a POSIX TZ string ("CET-1..." means UTC+1); daylight saving is ignored. */
    static ZoneOffset posixOffset(String tz) {
        var m = java.util.regex.Pattern.compile("^[A-Za-z<>+\\-0-9]*?[A-Za-z>]([+-]?)(\\d{1,2})(?::(\\d{2}))?")
                .matcher(tz);
        if (!m.find()) {
            return ZoneOffset.UTC;
        }
        int seconds = Integer.parseInt(m.group(2)) * 3600 + (m.group(3) == null ? 0 : Integer.parseInt(m.group(3)) * 60);
        return ZoneOffset.ofTotalSeconds("-".equals(m.group(1)) ? seconds : -seconds);
    }

    public DeviceInfo deviceInformation() throws CameraDriverException {
        Element r = soap.call(deviceService, "<tds:GetDeviceInformation xmlns:tds=\"" + TDS + "\"/>");
        return new DeviceInfo(text(r, "Manufacturer"), text(r, "Model"), text(r, "FirmwareVersion"),
                text(r, "SerialNumber"), text(r, "HardwareId"));
    }

    /**
     * The service addresses, from {@code GetCapabilities} (Category All), falling back to {@code GetServices}
     * for devices that only implement the newer call. Cached after the first success.
     */
    public ServiceAddresses services() throws CameraDriverException {
        ServiceAddresses s = services;
        if (s != null) {
            return s;
        }
        try {
            Element r = soap.call(deviceService, "<tds:GetCapabilities xmlns:tds=\"" + TDS + "\">"
                    + "<tds:Category>All</tds:Category></tds:GetCapabilities>");
            Element caps = child(r, "Capabilities").orElseThrow(() -> malformed("no Capabilities"));
            s = new ServiceAddresses(deviceService, xaddr(caps, "Media"), xaddr(caps, "PTZ"),
                    xaddr(caps, "Events"), xaddr(caps, "Imaging"));
        } catch (CameraDriverException e) {
            if (e.kind() != Kind.SOAP_FAULT && e.kind() != Kind.UNSUPPORTED) {
                throw e;
            }
            s = servicesFromGetServices();
        }
        services = s;
        return s;
    }

    private ServiceAddresses servicesFromGetServices() throws CameraDriverException {
        Element r = soap.call(deviceService, "<tds:GetServices xmlns:tds=\"" + TDS + "\">"
                + "<tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>");
        URI media = null;
        URI ptz = null;
        URI events = null;
        URI imaging = null;
        for (Element service : children(r, "Service")) {
            String ns = text(service, "Namespace");
            URI addr = rebase(text(service, "XAddr"));
            switch (ns) {
                case TRT -> media = addr;
                case OnvifNamespaces.TPTZ -> ptz = addr;
                case OnvifNamespaces.TEV -> events = addr;
                case "http://www.onvif.org/ver20/imaging/wsdl" -> imaging = addr;
                default -> { }
            }
        }
        return new ServiceAddresses(deviceService, media, ptz, events, imaging);
    }

    private URI xaddr(Element capabilities, String service) throws CameraDriverException {
        String x = path(capabilities, service, "XAddr").map(e -> e.getTextContent().trim()).orElse("");
        return x.isEmpty() ? null : rebase(x);
    }

    /** Keeps the announced path but uses the scheme, host and port of the device service we reached. */
    URI rebase(String announced) throws CameraDriverException {
        try {
            URI a = new URI(announced.trim());
            if (a.getRawPath() == null) {
                throw malformed("service address without path: " + announced);
            }
            return new URI(deviceService.getScheme(), deviceService.getRawAuthority(), a.getRawPath(),
                    a.getRawQuery(), null);
        } catch (URISyntaxException e) {
            throw new CameraDriverException(Kind.MALFORMED, "bad service address " + announced, e);
        }
    }

    URI mediaService() throws CameraDriverException {
        return services().mediaService().orElseThrow(() ->
                new CameraDriverException(Kind.UNSUPPORTED, cameraId + " has no media service"));
    }

    /** The media profiles (ONVIF Media 1.0 {@code GetProfiles}), stream URIs not yet resolved. */
    public List<MediaProfile> profiles() throws CameraDriverException {
        Element r = soap.call(mediaService(), "<trt:GetProfiles xmlns:trt=\"" + TRT + "\"/>");
        List<MediaProfile> out = new ArrayList<>();
        for (Element p : children(r, "Profiles")) {
            String token = attribute(p, "token");
            if (token.isEmpty()) {
                throw malformed("profile without token");
            }
            Optional<Element> vec = child(p, "VideoEncoderConfiguration");
            int width = vec.map(v -> intOrZero(text(v, "Resolution", "Width"))).orElse(0);
            int height = vec.map(v -> intOrZero(text(v, "Resolution", "Height"))).orElse(0);
            String encoding = vec.map(v -> text(v, "Encoding")).orElse("");
            String ptz = child(p, "PTZConfiguration").map(c -> attribute(c, "token")).orElse("");
            out.add(new MediaProfile(token, text(p, "Name"), encoding, width, height, ptz, null));
        }
        return out;
    }

    /** The RTSP URI of a profile (RTP-Unicast over RTSP). */
    public URI streamUri(String profileToken) throws CameraDriverException {
        Element r = soap.call(mediaService(), "<trt:GetStreamUri xmlns:trt=\"" + TRT + "\" xmlns:tt=\"" + TT + "\">"
                + "<trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol>"
                + "</tt:Transport></trt:StreamSetup><trt:ProfileToken>" + SecureXml.escape(profileToken)
                + "</trt:ProfileToken></trt:GetStreamUri>");
        return onCameraHost(text(r, "MediaUri", "Uri"), "stream URI", "rtsp", "rtsps");
    }

    /** The JPEG snapshot URI of a profile. */
    public URI snapshotUri(String profileToken) throws CameraDriverException {
        Element r = soap.call(mediaService(), "<trt:GetSnapshotUri xmlns:trt=\"" + TRT + "\"><trt:ProfileToken>"
                + SecureXml.escape(profileToken) + "</trt:ProfileToken></trt:GetSnapshotUri>");
        return onCameraHost(text(r, "MediaUri", "Uri"), "snapshot URI", "http", "https");
    }

    /**
     * The main stream (the video profile with the most pixels) and the sub stream (the fewest), with resolved
     * stream URIs. Only H.264/H.265 profiles are candidates when the camera has any (the recorder stores them
     * without transcoding; a 1080p MJPEG profile must not become the main stream). Ties keep the camera's order
     * (the first listed wins).
     */
    public CameraStreams streams() throws CameraDriverException {
        List<MediaProfile> withVideo = profiles().stream().filter(MediaProfile::hasVideo).toList();
        List<MediaProfile> recordable = withVideo.stream().filter(OnvifCameraDriver::recordable).toList();
        List<MediaProfile> video = recordable.isEmpty() ? withVideo : recordable;
        if (video.isEmpty()) {
            throw new CameraDriverException(Kind.UNSUPPORTED, cameraId + " has no video profile");
        }
        MediaProfile main = video.stream().max(Comparator.comparingLong(MediaProfile::pixels)
                .thenComparing(p -> -video.indexOf(p))).orElseThrow();
        MediaProfile sub = video.stream().min(Comparator.comparingLong(MediaProfile::pixels)
                .thenComparing(video::indexOf)).orElseThrow();
        main = main.withStreamUri(streamUri(main.token()));
        sub = sub.token().equals(main.token()) ? main : sub.withStreamUri(streamUri(sub.token()));
        return new CameraStreams(main, sub);
    }

    /** Fetches a JPEG snapshot of the profile (HTTP Digest or Basic with the camera's credentials). */
    public byte[] snapshot(String profileToken) throws CameraDriverException {
        URI uri = snapshotUri(profileToken);
        HttpResponse<byte[]> response = SoapClient.await(soap.getAsync(uri, MAX_SNAPSHOT_BYTES));
        if (response.statusCode() != 200) {
            throw new CameraDriverException(Kind.UNSUPPORTED, "snapshot HTTP " + response.statusCode() + " " + uri);
        }
        byte[] body = response.body();
        if (body.length < 4 || (body[0] & 0xff) != 0xFF || (body[1] & 0xff) != 0xD8) {
            throw new CameraDriverException(Kind.MALFORMED, "snapshot is not a JPEG (" + body.length + " bytes)");
        }
        return body;
    }

    /**
     * The camera's own privacy masks (ONVIF Media2, found by {@code GetServices}), empty when it has no Media2
     * service: such a camera cannot mask its own video (issue 14).
     */
    public Optional<OnvifMasks> privacyMasks() throws CameraDriverException {
        Element r = soap.call(deviceService, "<tds:GetServices xmlns:tds=\"" + TDS + "\">"
                + "<tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>");
        for (Element service : children(r, "Service")) {
            if (OnvifMasks.TR2.equals(text(service, "Namespace"))) {
                return Optional.of(new OnvifMasks(soap, rebase(text(service, "XAddr"))));
            }
        }
        return Optional.empty();
    }

    /**
     * The token of the video source configuration of a media profile ({@code GetProfiles}): what privacy masks
     * apply to (every profile of that source is masked alike).
     */
    public String videoSourceConfiguration(String profileToken) throws CameraDriverException {
        Element r = soap.call(mediaService(), "<trt:GetProfiles xmlns:trt=\"" + TRT + "\"/>");
        for (Element p : children(r, "Profiles")) {
            if (attribute(p, "token").equals(profileToken)) {
                String vsc = child(p, "VideoSourceConfiguration").map(c -> attribute(c, "token")).orElse("");
                if (vsc.isEmpty()) throw malformed("profile " + profileToken + " without video source configuration");
                return vsc;
            }
        }
        throw new CameraDriverException(Kind.UNSUPPORTED, cameraId + " has no profile " + profileToken);
    }

    /** The PTZ service of this camera. */
    public OnvifPtz ptz() throws CameraDriverException {
        URI ptz = services().ptzService().orElseThrow(() ->
                new CameraDriverException(Kind.UNSUPPORTED, cameraId + " has no PTZ service"));
        return new OnvifPtz(soap, ptz);
    }

    /**
     * Starts a PullPoint event subscription delivering this camera's events to {@code listener}. The
     * subscription runs on {@code executor} until closed.
     */
    public PullPointSubscription subscribe(CameraEventListener listener, ScheduledExecutorService executor,
                                           PullPointSubscription.Settings settings) throws CameraDriverException {
        URI events = services().eventService().orElseThrow(() ->
                new CameraDriverException(Kind.UNSUPPORTED, cameraId + " has no event service"));
        PullPointSubscription s = new PullPointSubscription(cameraId, soap, events, listener, executor, settings,
                this::rebase);
        s.start();
        return s;
    }

    private static boolean recordable(MediaProfile p) {
        String e = p.encoding().toUpperCase(java.util.Locale.ROOT).replace(".", "");
        return e.equals("H264") || e.equals("H265") || e.equals("HEVC");
    }

    /**
     * A media URI the camera announced, moved onto the host of the device service (scheme among {@code schemes},
     * port, path and query kept; user information dropped).
     */
    URI onCameraHost(String announced, String what, String... schemes) throws CameraDriverException {
        if (announced.isEmpty()) {
            throw malformed("no " + what);
        }
        URI a;
        try {
            a = new URI(announced.trim());
        } catch (URISyntaxException e) {
            throw new CameraDriverException(Kind.MALFORMED, "bad " + what + " " + announced, e);
        }
        String scheme = a.getScheme() == null ? "" : a.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!java.util.List.of(schemes).contains(scheme) || a.isOpaque()) {
            throw malformed(what + " must be " + String.join(" or ", schemes) + ": " + announced);
        }
        String path = a.getRawPath() == null || a.getRawPath().isEmpty() ? "/" : a.getRawPath();
        try {
            String host = deviceService.getHost();
            // HTTP resources come through the same door as the device service (NAT, port forward): its scheme,
            // host and port; RTSP keeps its announced port on the camera's host
            boolean http = scheme.startsWith("http");
            String authority = http ? deviceService.getRawAuthority()
                    : (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                    + (a.getPort() >= 0 ? ":" + a.getPort() : "");
            URI moved = new URI((http ? deviceService.getScheme() : scheme) + "://" + authority + path
                    + (a.getRawQuery() == null ? "" : "?" + a.getRawQuery()));
            if (a.getHost() == null || !a.getHost().equalsIgnoreCase(host) || a.getRawUserInfo() != null) {
                LOG.warn("{}: {} {} announced on another host, moved to the camera's: {}", cameraId, what,
                        announced, moved);
            }
            return moved;
        } catch (URISyntaxException e) {
            throw new CameraDriverException(Kind.MALFORMED, "bad " + what + " " + announced, e);
        }
    }

    private static int intOrZero(String s) {
        try {
            return s.isEmpty() ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static CameraDriverException malformed(String what) {
        return new CameraDriverException(Kind.MALFORMED, what);
    }
}

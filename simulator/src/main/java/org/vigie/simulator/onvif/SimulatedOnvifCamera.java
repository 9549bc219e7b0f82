package org.vigie.simulator.onvif;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.w3c.dom.Element;

/**
 * One simulated ONVIF camera: answers the device, media, PTZ and event operations of its service paths.
 * Profiles: {@code main} (H264 1280x720, with PTZ) and {@code sub} (H264 640x360, with PTZ). Its clock is the
 * simulator's clock plus a configurable skew, so clients must learn the offset to authenticate.
 * Thread-safe: state lives in {@link SimulatedPtz} and {@link SimulatedEvents}, both synchronized.
 */
public final class SimulatedOnvifCamera {

    static final String TOPIC_DIALECT = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet";

    private final SimulatedCameraInfo info;
    private final String baseUrl;
    private final InstantSource cameraClock;
    private final UsernameTokenCheck auth;
    private final SimulatedPtz ptz;
    private final SimulatedEvents events;
    private final SimulatedMasks masks = new SimulatedMasks();

    SimulatedOnvifCamera(SimulatedCameraInfo info, String baseUrl, InstantSource cameraClock, UsernameTokenCheck auth,
                         ScheduledExecutorService scheduler) {
        this.info = info;
        this.baseUrl = baseUrl;
        this.cameraClock = cameraClock;
        this.auth = auth;
        this.ptz = new SimulatedPtz(cameraClock);
        this.events = new SimulatedEvents(cameraClock, scheduler);
    }

    public SimulatedCameraInfo info() {
        return info;
    }

    /** {@code http://host:port/onvif/<id>/} */
    String baseUrl() {
        return baseUrl;
    }

    public String deviceServiceUrl() {
        return baseUrl + "device_service";
    }

    /** The URI GetSnapshotUri answers: {@code http://host:port/onvif/<id>/snapshot.jpg}. */
    public String snapshotUrl() {
        return baseUrl + "snapshot.jpg";
    }

    /** Current PTZ position as {pan, tilt, zoom}. */
    public double[] ptzPosition() {
        SimulatedPtz.Vector v = ptz.position();
        return new double[] {v.pan(), v.tilt(), v.zoom()};
    }

    public long subscriptionsCreated() {
        return events.created();
    }

    public long subscriptionRenewals() {
        return events.renewed();
    }

    public long unsubscribes() {
        return events.unsubscribed();
    }

    public int activeSubscriptions() {
        return events.active();
    }

    /** PullMessages requests waiting (long-polling) for an event now. */
    public int waitingPulls() {
        return events.waitingPulls();
    }

    /** Forgets every subscription, as a rebooting camera does: the next request to one of them faults. */
    public void dropSubscriptions() {
        events.dropAll();
    }

    /** Raises {@code tns1:RuleEngine/CellMotionDetector/Motion} with {@code IsMotion=active}. */
    public void raiseMotion(boolean active) {
        events.raise(notification("tns1:RuleEngine/CellMotionDetector/Motion",
                "<tt:SimpleItem Name=\"VideoSourceConfigurationToken\" Value=\"vsc0\"/>"
                        + "<tt:SimpleItem Name=\"VideoAnalyticsConfigurationToken\" Value=\"vac0\"/>"
                        + "<tt:SimpleItem Name=\"Rule\" Value=\"MyMotionDetectorRule\"/>",
                "<tt:SimpleItem Name=\"IsMotion\" Value=\"" + active + "\"/>"));
    }

    /** The privacy masks the camera holds (ONVIF Media2), for tests. */
    public int privacyMaskCount() {
        return masks.count();
    }

    /** The polygons of the privacy masks the camera holds, in ONVIF coordinates (-1..1, y upwards), for tests. */
    public List<List<double[]>> privacyMaskPolygons() {
        return masks.polygons();
    }

    /** Raises {@code tns1:VideoSource/GlobalSceneChange/ImagingService} with {@code State=active}. */
    public void raiseTamper(boolean active) {
        events.raise(notification("tns1:VideoSource/GlobalSceneChange/ImagingService",
                "<tt:SimpleItem Name=\"Source\" Value=\"vs0\"/>",
                "<tt:SimpleItem Name=\"State\" Value=\"" + active + "\"/>"));
    }

    private String notification(String topic, String source, String data) {
        return "<wsnt:NotificationMessage><wsnt:Topic Dialect=\"" + TOPIC_DIALECT + "\">" + topic + "</wsnt:Topic>"
                + "<wsnt:Message><tt:Message UtcTime=\"" + now() + "\" PropertyOperation=\"Changed\">"
                + "<tt:Source>" + source + "</tt:Source><tt:Data>" + data + "</tt:Data></tt:Message></wsnt:Message>"
                + "</wsnt:NotificationMessage>";
    }

    private Instant now() {
        return cameraClock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Answers one SOAP request addressed to this camera.
     *
     * @param subscriptionId the subscription named by the path, or null for the service endpoints
     */
    CompletableFuture<SoapReply> handle(Element envelope, String subscriptionId) {
        Element body = SimulatorXml.child(envelope, "Body").orElse(null);
        Element op = body == null ? null : SimulatorXml.firstChild(body).orElse(null);
        if (op == null) {
            return done(SoapReply.fault(400, "s:Sender", "ter:InvalidArgs", "empty SOAP Body"));
        }
        String name = op.getLocalName();
        if (!name.equals("GetSystemDateAndTime") && auth != null && !auth.accepts(envelope, cameraClock.instant())) {
            return done(SoapReply.notAuthorized());
        }
        if (subscriptionId != null) {
            return subscriptionOperation(name, op, subscriptionId);
        }
        return switch (name) {
            case "GetSystemDateAndTime" -> done(SoapReply.ok(systemDateAndTime()));
            case "GetDeviceInformation" -> done(SoapReply.ok("<tds:GetDeviceInformationResponse>"
                    + "<tds:Manufacturer>Vigie</tds:Manufacturer><tds:Model>SimCam PTZ</tds:Model>"
                    + "<tds:FirmwareVersion>1.0.0</tds:FirmwareVersion><tds:SerialNumber>SIM-" + info.id()
                    + "</tds:SerialNumber><tds:HardwareId>simcam-1</tds:HardwareId></tds:GetDeviceInformationResponse>"));
            case "GetCapabilities" -> done(SoapReply.ok(capabilities()));
            case "GetServices" -> done(SoapReply.ok(services()));
            case "GetScopes" -> done(SoapReply.ok("<tds:GetScopesResponse><tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef>"
                    + "<tt:ScopeItem>onvif://www.onvif.org/name/" + OnvifSimulator.scopeValue(info.name())
                    + "</tt:ScopeItem></tds:Scopes></tds:GetScopesResponse>"));
            case "GetVideoSources" -> done(SoapReply.ok("<trt:GetVideoSourcesResponse><trt:VideoSources token=\"vs0\">"
                    + "<tt:Framerate>25</tt:Framerate><tt:Resolution><tt:Width>1280</tt:Width><tt:Height>720</tt:Height>"
                    + "</tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>"));
            case "GetProfiles" -> done(SoapReply.ok("<trt:GetProfilesResponse>" + profile("main", "MainStream", 1280, 720)
                    + profile("sub", "SubStream", 640, 360) + "</trt:GetProfilesResponse>"));
            case "GetStreamUri" -> streamUri(op);
            case "GetSnapshotUri" -> done(SoapReply.ok("<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>" + snapshotUrl()
                    + "</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>"
                    + "<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri>"
                    + "</trt:GetSnapshotUriResponse>"));
            case "GetMaskOptions" -> done(SoapReply.ok(masks.options()));
            case "GetMasks" -> done(SoapReply.ok(masks.list()));
            case "CreateMask" -> done(masks.create(op));
            case "DeleteMask" -> done(masks.delete(op));
            case "GetNodes" -> done(SoapReply.ok("<tptz:GetNodesResponse>" + node() + "</tptz:GetNodesResponse>"));
            case "ContinuousMove" -> {
                SimulatedPtz.Vector v = vector(op, "Velocity");
                String timeout = SimulatorXml.child(op, "Timeout").map(e -> e.getTextContent().trim()).orElse("");
                ptz.continuousMove(v, timeout.isEmpty() ? null : Duration.parse(timeout));
                yield done(SoapReply.ok("<tptz:ContinuousMoveResponse/>"));
            }
            case "Stop" -> {
                ptz.stop();
                yield done(SoapReply.ok("<tptz:StopResponse/>"));
            }
            case "AbsoluteMove" -> {
                ptz.absoluteMove(vector(op, "Position"));
                yield done(SoapReply.ok("<tptz:AbsoluteMoveResponse/>"));
            }
            case "RelativeMove" -> {
                ptz.relativeMove(vector(op, "Translation"));
                yield done(SoapReply.ok("<tptz:RelativeMoveResponse/>"));
            }
            case "GetStatus" -> done(SoapReply.ok("<tptz:GetStatusResponse><tptz:PTZStatus>"
                    + ptz.position().xml("tt:Position") + "<tt:MoveStatus><tt:PanTilt>" + (ptz.moving() ? "MOVING" : "IDLE")
                    + "</tt:PanTilt><tt:Zoom>IDLE</tt:Zoom></tt:MoveStatus><tt:UtcTime>" + now() + "</tt:UtcTime>"
                    + "</tptz:PTZStatus></tptz:GetStatusResponse>"));
            case "GetPresets" -> done(SoapReply.ok("<tptz:GetPresetsResponse>" + ptz.presetsXml()
                    + "</tptz:GetPresetsResponse>"));
            case "SetPreset" -> done(SoapReply.ok("<tptz:SetPresetResponse><tptz:PresetToken>"
                    + ptz.setPreset(SimulatorXml.text(op, "PresetName")) + "</tptz:PresetToken></tptz:SetPresetResponse>"));
            case "GotoPreset" -> done(ptz.gotoPreset(SimulatorXml.text(op, "PresetToken"))
                    ? SoapReply.ok("<tptz:GotoPresetResponse/>")
                    : SoapReply.invalidArgs("no such preset"));
            case "GetEventProperties" -> done(SoapReply.ok("<tev:GetEventPropertiesResponse>"
                    + "<tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/topics/topicns.xml</tev:TopicNamespaceLocation>"
                    + "<wsnt:FixedTopicSet>true</wsnt:FixedTopicSet><wstop:TopicSet/>"
                    + "</tev:GetEventPropertiesResponse>"));
            case "CreatePullPointSubscription" -> {
                String[] s = events.create(SimulatorXml.text(op, "InitialTerminationTime"));
                yield done(s == null ? SoapReply.invalidArgs("bad InitialTerminationTime")
                        : SoapReply.ok("<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference>"
                        + "<wsa:Address>" + baseUrl + "subscription/" + s[0] + "</wsa:Address></tev:SubscriptionReference>"
                        + "<wsnt:CurrentTime>" + now() + "</wsnt:CurrentTime><wsnt:TerminationTime>" + s[1]
                        + "</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>"));
            }
            default -> done(SoapReply.fault(400, "s:Receiver", "ter:ActionNotSupported",
                    "operation " + name + " not supported by the simulator"));
        };
    }

    private CompletableFuture<SoapReply> subscriptionOperation(String name, Element op, String id) {
        SoapReply unknown = SoapReply.fault(400, "s:Receiver", "wsrf-rw:ResourceUnknownFault",
                "subscription " + id + " unknown or expired");
        switch (name) {
            case "PullMessages": {
                Duration timeout;
                try {
                    timeout = Duration.parse(SimulatorXml.text(op, "Timeout"));
                } catch (RuntimeException e) {
                    return done(SoapReply.invalidArgs("bad Timeout"));
                }
                if (timeout.compareTo(Duration.ofMinutes(1)) > 0) {
                    timeout = Duration.ofMinutes(1);
                }
                int limit = parseInt(SimulatorXml.text(op, "MessageLimit"), 100);
                CompletableFuture<List<String>> f = events.pull(id, timeout, limit);
                if (f == null) {
                    return done(unknown);
                }
                return f.thenApply(messages -> {
                    Instant termination = events.termination(id);
                    return SoapReply.ok("<tev:PullMessagesResponse><tev:CurrentTime>" + now() + "</tev:CurrentTime>"
                            + "<tev:TerminationTime>" + (termination == null ? now() : termination)
                            + "</tev:TerminationTime>" + String.join("", messages) + "</tev:PullMessagesResponse>");
                });
            }
            case "Renew": {
                Instant t = events.renew(id, SimulatorXml.text(op, "TerminationTime"));
                return done(t == null ? unknown : SoapReply.ok("<wsnt:RenewResponse><wsnt:TerminationTime>" + t
                        + "</wsnt:TerminationTime><wsnt:CurrentTime>" + now() + "</wsnt:CurrentTime></wsnt:RenewResponse>"));
            }
            case "Unsubscribe":
                return done(events.unsubscribe(id) ? SoapReply.ok("<wsnt:UnsubscribeResponse/>") : unknown);
            case "SetSynchronizationPoint":
                return done(SoapReply.ok("<tev:SetSynchronizationPointResponse/>"));
            default:
                return done(SoapReply.fault(400, "s:Receiver", "ter:ActionNotSupported", name));
        }
    }

    private String systemDateAndTime() {
        ZonedDateTime t = cameraClock.instant().atZone(ZoneOffset.UTC);
        return "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType>"
                + "<tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone>"
                + "<tt:UTCDateTime><tt:Time><tt:Hour>" + t.getHour() + "</tt:Hour><tt:Minute>" + t.getMinute()
                + "</tt:Minute><tt:Second>" + t.getSecond() + "</tt:Second></tt:Time><tt:Date><tt:Year>" + t.getYear()
                + "</tt:Year><tt:Month>" + t.getMonthValue() + "</tt:Month><tt:Day>" + t.getDayOfMonth()
                + "</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>";
    }

    private String capabilities() {
        return "<tds:GetCapabilitiesResponse><tds:Capabilities>"
                + "<tt:Device><tt:XAddr>" + baseUrl + "device_service</tt:XAddr><tt:System><tt:DiscoveryResolve>false"
                + "</tt:DiscoveryResolve><tt:DiscoveryBye>true</tt:DiscoveryBye><tt:RemoteDiscovery>false</tt:RemoteDiscovery>"
                + "<tt:SystemBackup>false</tt:SystemBackup><tt:SystemLogging>false</tt:SystemLogging>"
                + "<tt:FirmwareUpgrade>false</tt:FirmwareUpgrade><tt:SupportedVersions><tt:Major>2</tt:Major>"
                + "<tt:Minor>60</tt:Minor></tt:SupportedVersions></tt:System></tt:Device>"
                + "<tt:Events><tt:XAddr>" + baseUrl + "events_service</tt:XAddr><tt:WSSubscriptionPolicySupport>false"
                + "</tt:WSSubscriptionPolicySupport><tt:WSPullPointSupport>true</tt:WSPullPointSupport>"
                + "<tt:WSPausableSubscriptionManagerInterfaceSupport>false</tt:WSPausableSubscriptionManagerInterfaceSupport>"
                + "</tt:Events>"
                + "<tt:Media><tt:XAddr>" + baseUrl + "media_service</tt:XAddr><tt:StreamingCapabilities>"
                + "<tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP>"
                + "</tt:StreamingCapabilities></tt:Media>"
                + "<tt:PTZ><tt:XAddr>" + baseUrl + "ptz_service</tt:XAddr></tt:PTZ>"
                + "</tds:Capabilities></tds:GetCapabilitiesResponse>";
    }

    private String services() {
        return "<tds:GetServicesResponse>"
                + service("http://www.onvif.org/ver10/device/wsdl", "device_service")
                + service("http://www.onvif.org/ver10/media/wsdl", "media_service")
                + service("http://www.onvif.org/ver20/media/wsdl", "media2_service")
                + service("http://www.onvif.org/ver20/ptz/wsdl", "ptz_service")
                + service("http://www.onvif.org/ver10/events/wsdl", "events_service")
                + "</tds:GetServicesResponse>";
    }

    private String service(String ns, String path) {
        return "<tds:Service><tds:Namespace>" + ns + "</tds:Namespace><tds:XAddr>" + baseUrl + path
                + "</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>";
    }

    private String profile(String token, String name, int width, int height) {
        return "<trt:Profiles token=\"" + token + "\" fixed=\"true\"><tt:Name>" + name + "</tt:Name>"
                + "<tt:VideoSourceConfiguration token=\"vsc0\"><tt:Name>VideoSource</tt:Name><tt:UseCount>2</tt:UseCount>"
                + "<tt:SourceToken>vs0</tt:SourceToken><tt:Bounds x=\"0\" y=\"0\" width=\"1280\" height=\"720\"/>"
                + "</tt:VideoSourceConfiguration>"
                + "<tt:VideoEncoderConfiguration token=\"vec-" + token + "\"><tt:Name>" + name + "</tt:Name>"
                + "<tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>" + width
                + "</tt:Width><tt:Height>" + height + "</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>"
                + "<tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval>"
                + "<tt:BitrateLimit>2048</tt:BitrateLimit></tt:RateControl><tt:H264><tt:GovLength>50</tt:GovLength>"
                + "<tt:H264Profile>Main</tt:H264Profile></tt:H264><tt:SessionTimeout>PT60S</tt:SessionTimeout>"
                + "</tt:VideoEncoderConfiguration>"
                + "<tt:PTZConfiguration token=\"ptz0\"><tt:Name>PTZ</tt:Name><tt:UseCount>2</tt:UseCount>"
                + "<tt:NodeToken>node0</tt:NodeToken></tt:PTZConfiguration></trt:Profiles>";
    }

    private CompletableFuture<SoapReply> streamUri(Element op) {
        String token = SimulatorXml.text(op, "ProfileToken");
        String uri = switch (token) {
            case "main" -> info.rtspUrl();
            case "sub" -> info.subRtspUrl();
            default -> null;
        };
        if (uri == null) {
            return done(SoapReply.fault(400, "s:Sender", "ter:NoProfile", "no profile " + token));
        }
        return done(SoapReply.ok("<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>" + SimulatorXml.escape(uri)
                + "</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false"
                + "</tt:InvalidAfterReboot><tt:Timeout>PT60S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>"));
    }

    private static String node() {
        String pt = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/";
        String z = "http://www.onvif.org/ver10/tptz/ZoomSpaces/";
        return "<tptz:PTZNode token=\"node0\" FixedHomePosition=\"false\"><tt:Name>Dome</tt:Name><tt:SupportedPTZSpaces>"
                + space("AbsolutePanTiltPositionSpace", pt + "PositionGenericSpace", true)
                + space("AbsoluteZoomPositionSpace", z + "PositionGenericSpace", false)
                + space("RelativePanTiltTranslationSpace", pt + "TranslationGenericSpace", true)
                + space("RelativeZoomTranslationSpace", z + "TranslationGenericSpace", false)
                + space("ContinuousPanTiltVelocitySpace", pt + "VelocityGenericSpace", true)
                + space("ContinuousZoomVelocitySpace", z + "VelocityGenericSpace", false)
                + "</tt:SupportedPTZSpaces><tt:MaximumNumberOfPresets>32</tt:MaximumNumberOfPresets>"
                + "<tt:HomeSupported>true</tt:HomeSupported></tptz:PTZNode>";
    }

    private static String space(String element, String uri, boolean twoAxes) {
        String range = "<tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange>"
                + (twoAxes ? "<tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange>" : "");
        return "<tt:" + element + "><tt:URI>" + uri + "</tt:URI>" + range + "</tt:" + element + ">";
    }

    private static SimulatedPtz.Vector vector(Element op, String name) {
        Element v = SimulatorXml.child(op, name).orElse(op);
        Element pt = SimulatorXml.child(v, "PanTilt").orElse(null);
        Element z = SimulatorXml.child(v, "Zoom").orElse(null);
        return new SimulatedPtz.Vector(attr(pt, "x"), attr(pt, "y"), attr(z, "x"));
    }

    private static double attr(Element e, String name) {
        if (e == null || e.getAttribute(name).isEmpty()) {
            return 0;
        }
        try {
            return Double.parseDouble(e.getAttribute(name).trim().toLowerCase(Locale.ROOT));
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    private static int parseInt(String s, int dflt) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static CompletableFuture<SoapReply> done(SoapReply r) {
        return CompletableFuture.completedFuture(r);
    }
}

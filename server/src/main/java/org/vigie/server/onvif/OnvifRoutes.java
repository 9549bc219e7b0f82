package org.vigie.server.onvif;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

import java.util.List;
import org.vigie.server.auth.Permission;
import org.vigie.server.http.Route;

/** The ONVIF rows of the route table ({@code org.vigie.server.api.ApiRoutes} appends them to its own). */
public final class OnvifRoutes {

    private OnvifRoutes() {
    }

    public static List<Route> routes(OnvifResource r) {
        String cam = "/api/v1/cameras/{id}";
        return List.of(
                new Route(POST, "/api/v1/discovery", Permission.DISCOVERY,
                        "Find ONVIF cameras (WS-Discovery, multicast on discovery.interface or unicast of a range)",
                        r::discover),
                new Route(GET, cam + "/onvif", Permission.CAMERA_READ, "A camera's ONVIF status", r::status),
                new Route(GET, cam + "/ptz", Permission.PTZ, "PTZ capabilities, position and movement", r::ptzStatus),
                new Route(POST, cam + "/ptz/continuous", Permission.PTZ, "Start a continuous PTZ move",
                        r::continuous),
                new Route(POST, cam + "/ptz/stop", Permission.PTZ, "Stop the PTZ head", r::stop),
                new Route(POST, cam + "/ptz/absolute", Permission.PTZ, "Move the PTZ head to a position", r::absolute),
                new Route(POST, cam + "/ptz/relative", Permission.PTZ, "Move the PTZ head by a translation",
                        r::relative),
                new Route(GET, cam + "/ptz/presets", Permission.PTZ, "PTZ presets", r::presets),
                new Route(POST, cam + "/ptz/presets", Permission.PTZ, "Store the current position as a preset",
                        r::setPreset),
                new Route(POST, cam + "/ptz/presets/{presetToken}/goto", Permission.PTZ, "Go to a PTZ preset",
                        r::gotoPreset));
    }
}

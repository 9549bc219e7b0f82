package org.vigie.base.privacy;

import java.util.List;
import java.util.Objects;

/**
 * One privacy mask of a camera: a polygon in picture-relative coordinates (0..1 from the top-left corner, so it
 * holds for the main and the sub streams), either {@link Kind#PERMANENT} (never lifted, for homes and their
 * entrances, CSI L251-3) or {@link Kind#LIFTABLE} (lifted only for a user with the camera's {@code unmask} right
 * who gives a reason).
 * Invariant: at least 3 points, each within [0, 1] on both axes; an id of 1 to 64 characters.
 */
public record PrivacyMask(String id, Kind kind, List<Point> polygon) {

    public enum Kind { PERMANENT, LIFTABLE }

    /** A vertex, relative to the picture's width (x) and height (y). */
    public record Point(double x, double y) {
        public Point {
            if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
                throw new IllegalArgumentException("a mask point lies within 0..1 on both axes: (" + x + ", " + y + ")");
            }
        }
    }

    public PrivacyMask {
        Objects.requireNonNull(kind, "kind");
        if (id == null || id.isEmpty() || id.length() > 64) {
            throw new IllegalArgumentException("a mask id has 1 to 64 characters");
        }
        if (polygon == null || polygon.size() < 3) {
            throw new IllegalArgumentException("a mask polygon has at least 3 points");
        }
        polygon = List.copyOf(polygon);
    }
}

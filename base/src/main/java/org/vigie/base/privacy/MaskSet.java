package org.vigie.base.privacy;

import java.util.List;

/**
 * The masks of one camera at one version. Version 0 with no mask is a camera that was never masked; every change
 * makes a new version, so an export or a snapshot can name the version it applied.
 */
public record MaskSet(long version, List<PrivacyMask> masks) {

    public static final MaskSet NONE = new MaskSet(0, List.of());

    public MaskSet {
        if (version < 0) {
            throw new IllegalArgumentException("a mask version is >= 0");
        }
        masks = List.copyOf(masks);
    }

    /** The masks to apply: all of them, or only the permanent ones when liftable masks are lifted. */
    public MaskSet inForce(boolean liftableLifted) {
        if (!liftableLifted) {
            return this;
        }
        return new MaskSet(version, masks.stream().filter(m -> m.kind() == PrivacyMask.Kind.PERMANENT).toList());
    }

    public boolean isEmpty() {
        return masks.isEmpty();
    }
}

package org.vigie.gst.mask;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import org.vigie.base.privacy.MaskSet;
import org.vigie.base.privacy.PrivacyMask;

/**
 * The masks of a camera rendered once per (mask set, picture size) as an RGBA PNG the size of the picture: opaque
 * black inside the polygons, fully transparent outside, without anti-aliasing (a pixel is masked when its centre
 * lies inside a polygon), so the transcoder composites it over every frame without any Java per frame.
 *
 * <p>Files are named by the SHA-256 of the picture size and the polygons (not by the version: versions are per
 * camera), written to a temporary name and moved into place, so concurrent renderings of the same set are harmless.
 * Thread-safe.
 */
public final class MaskImages {

    private final Path dir;
    private final ConcurrentHashMap<String, Path> rendered = new ConcurrentHashMap<>();

    /** @param dir a folder of the server's own (created when missing) */
    public MaskImages(Path dir) {
        this.dir = dir;
    }

    /** The PNG of {@code masks} for a {@code width}x{@code height} picture; the set must not be empty. */
    public Path png(MaskSet masks, int width, int height) {
        if (masks.isEmpty()) throw new IllegalArgumentException("no mask to render");
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("picture size " + width + "x" + height);
        String key = key(masks, width, height);
        return rendered.computeIfAbsent(key, k -> {
            Path file = dir.resolve("mask-" + k + ".png");
            try {
                if (!Files.isRegularFile(file)) {
                    Files.createDirectories(dir);
                    Path tmp = Files.createTempFile(dir, "mask", ".tmp");
                    ImageIO.write(render(masks, width, height), "png", tmp.toFile());
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the mask image " + file, e);
            }
        });
    }

    /** Opaque black inside the polygons, transparent elsewhere. */
    public static BufferedImage render(MaskSet masks, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.BLACK);
            for (PrivacyMask m : masks.masks()) {
                Path2D.Double p = new Path2D.Double();
                boolean first = true;
                for (PrivacyMask.Point pt : m.polygon()) {
                    double x = pt.x() * width;
                    double y = pt.y() * height;
                    if (first) {
                        p.moveTo(x, y);
                        first = false;
                    } else {
                        p.lineTo(x, y);
                    }
                }
                p.closePath();
                g.fill(p);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static String key(MaskSet masks, int width, int height) {
        StringBuilder s = new StringBuilder().append(width).append('x').append(height);
        for (PrivacyMask m : masks.masks()) {
            s.append('|');
            for (PrivacyMask.Point p : m.polygon()) s.append(p.x()).append(',').append(p.y()).append(';');
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

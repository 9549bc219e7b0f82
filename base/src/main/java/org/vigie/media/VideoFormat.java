package org.vigie.media;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a decoder needs to start decoding a stream: the codec, the picture size and the decoder configuration
 * record exactly as stored in MP4 (an {@code AVCDecoderConfigurationRecord} for H.264, an
 * {@code HEVCDecoderConfigurationRecord} for H.265). A change of format starts a new segment.
 *
 * @param decoderConfig the configuration record; never modified after construction (defensively copied)
 */
public record VideoFormat(Codec codec, int width, int height, byte[] decoderConfig) {

    public VideoFormat {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(decoderConfig, "decoderConfig");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("picture size must be positive: " + width + "x" + height);
        }
        decoderConfig = decoderConfig.clone();
    }

    @Override
    public byte[] decoderConfig() {
        return decoderConfig.clone();
    }

    /** The RFC 6381 codec string a browser's Media Source Extensions expects, e.g. {@code avc1.4d401f}. */
    public String rfc6381() {
        if (codec == Codec.H264 && decoderConfig.length >= 4) {
            return "avc1." + HexFormat.of().formatHex(decoderConfig, 1, 4);
        }
        return codec.sampleEntry();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoFormat f
                && codec == f.codec && width == f.width && height == f.height
                && Arrays.equals(decoderConfig, f.decoderConfig);
    }

    @Override
    public int hashCode() {
        return Objects.hash(codec, width, height, Arrays.hashCode(decoderConfig));
    }

    @Override
    public String toString() {
        return "VideoFormat[" + rfc6381() + " " + width + "x" + height + "]";
    }
}

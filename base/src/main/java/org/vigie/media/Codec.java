package org.vigie.media;

/** Video codecs the recorder stores without transcoding. */
public enum Codec {
    H264("avc1"),
    H265("hvc1");

    private final String sampleEntry;

    Codec(String sampleEntry) {
        this.sampleEntry = sampleEntry;
    }

    /** The ISO BMFF sample entry four-character code used for this codec. */
    public String sampleEntry() {
        return sampleEntry;
    }
}

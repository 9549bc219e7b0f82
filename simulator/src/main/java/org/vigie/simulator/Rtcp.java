package org.vigie.simulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * RTCP (RFC 3550 section 6) as the simulator needs it: builds compound sender reports (SR + SDES CNAME) and
 * parses incoming compound packets (receiver reports) defensively: malformed input yields {@link Received#valid()}
 * false, never an exception. Stateless.
 */
public final class Rtcp {

    static final int PT_SR = 200;
    static final int PT_RR = 201;
    static final int PT_SDES = 202;
    static final int PT_BYE = 203;
    /** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
    static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    private Rtcp() {
    }

    /** The 64-bit NTP timestamp (32.32 fixed point seconds since 1900) of an instant. */
    public static long ntpTimestamp(Instant t) {
        long seconds = t.getEpochSecond() + NTP_UNIX_OFFSET_SECONDS;
        long fraction = ((long) t.getNano() << 32) / 1_000_000_000L;
        return (seconds << 32) | fraction;
    }

    /** The instant of a 64-bit NTP timestamp (inverse of {@link #ntpTimestamp(Instant)} to the nanosecond). */
    public static Instant instantOfNtp(long ntp) {
        long seconds = (ntp >>> 32) - NTP_UNIX_OFFSET_SECONDS;
        long nanos = ((ntp & 0xFFFF_FFFFL) * 1_000_000_000L + (1L << 31)) >>> 32;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /**
     * A compound RTCP packet: a sender report without report blocks followed by an SDES packet with the CNAME.
     *
     * @param rtpTimestamp the RTP timestamp that corresponds to {@code wallTime}
     */
    public static byte[] senderReport(int ssrc, Instant wallTime, int rtpTimestamp, long packetCount,
                                      long octetCount, String cname) {
        byte[] name = cname.getBytes(StandardCharsets.UTF_8);
        if (name.length > 255) {
            throw new IllegalArgumentException("CNAME too long");
        }
        int sdesItems = 2 + name.length + 1;               // CNAME item + END
        int sdesChunk = 4 + ((sdesItems + 3) & ~3);          // SSRC + items padded to 32 bits
        int sdesLength = 4 + sdesChunk;
        ByteBuffer b = ByteBuffer.allocate(28 + sdesLength);
        b.put((byte) 0x80).put((byte) PT_SR).putShort((short) 6);
        b.putInt(ssrc);
        b.putLong(ntpTimestamp(wallTime));
        b.putInt(rtpTimestamp);
        b.putInt((int) packetCount);
        b.putInt((int) octetCount);
        b.put((byte) 0x81).put((byte) PT_SDES).putShort((short) (sdesLength / 4 - 1));
        b.putInt(ssrc);
        b.put((byte) 1).put((byte) name.length).put(name);
        // END item and padding: the rest of the buffer is already zero
        return b.array();
    }

    /**
     * What a parsed compound packet said.
     *
     * @param valid        false when the bytes are not a well-formed RTCP compound packet
     * @param packetTypes  the RTCP packet types found, in order
     * @param reportedSsrcs the SSRCs that the sender's report blocks are about (our streams, for a receiver report)
     */
    public record Received(boolean valid, List<Integer> packetTypes, List<Integer> reportedSsrcs) {
        static final Received INVALID = new Received(false, List.of(), List.of());
    }

    /** Parses a compound RTCP packet; never throws on malformed input. */
    public static Received parse(byte[] data, int offset, int length) {
        List<Integer> types = new ArrayList<>();
        List<Integer> ssrcs = new ArrayList<>();
        int pos = offset;
        int end = offset + length;
        if (length < 4) {
            return Received.INVALID;
        }
        while (pos < end) {
            if (end - pos < 4 || ((data[pos] & 0xC0) >>> 6) != 2) {
                return Received.INVALID;
            }
            int count = data[pos] & 0x1F;
            int type = data[pos + 1] & 0xFF;
            int words = ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
            int bytes = (words + 1) * 4;
            if (type < 192 || type > 223 || bytes > end - pos) {
                return Received.INVALID;
            }
            types.add(type);
            int blocks = switch (type) {
                case PT_SR -> pos + 28;
                case PT_RR -> pos + 8;
                default -> -1;
            };
            if (blocks >= 0) {
                for (int i = 0; i < count && blocks + 24 * (i + 1) <= pos + bytes; i++) {
                    ssrcs.add(ByteBuffer.wrap(data, blocks + 24 * i, 4).getInt());
                }
            }
            pos += bytes;
        }
        return new Received(true, types, ssrcs);
    }
}

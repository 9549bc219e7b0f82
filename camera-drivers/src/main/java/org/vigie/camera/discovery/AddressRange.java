package org.vigie.camera.discovery;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded set of IPv4 addresses to probe by unicast, written as a single address ({@code 10.2.0.17}), a CIDR
 * block ({@code 10.2.0.0/24}; network and broadcast addresses excluded for prefixes up to /30) or an inclusive
 * range ({@code 10.2.0.10-10.2.0.60}). Invariant: at most {@link #MAX_ADDRESSES} addresses, so a typo such as
 * {@code /8} cannot flood a district's network.
 */
public record AddressRange(long first, long last) {

    public static final int MAX_ADDRESSES = 4096;

    public AddressRange {
        if (first < 0 || last > 0xFFFF_FFFFL || first > last) {
            throw new IllegalArgumentException("empty or invalid range");
        }
        if (last - first + 1 > MAX_ADDRESSES) {
            throw new IllegalArgumentException("range of " + (last - first + 1) + " addresses exceeds "
                    + MAX_ADDRESSES);
        }
    }

    public static AddressRange parse(String spec) {
        String s = spec.trim();
        int slash = s.indexOf('/');
        int dash = s.indexOf('-');
        if (slash >= 0) {
            long base = toLong(s.substring(0, slash));
            int prefix = Integer.parseInt(s.substring(slash + 1).trim());
            if (prefix < 0 || prefix > 32) {
                throw new IllegalArgumentException("bad prefix /" + prefix);
            }
            long size = 1L << (32 - prefix);
            if (size > MAX_ADDRESSES + 2) {
                throw new IllegalArgumentException("/" + prefix + " holds " + size + " addresses, more than "
                        + MAX_ADDRESSES);
            }
            long network = base & ~(size - 1) & 0xFFFF_FFFFL;
            return prefix <= 30 ? new AddressRange(network + 1, network + size - 2)
                    : new AddressRange(network, network + size - 1);
        }
        if (dash >= 0) {
            return new AddressRange(toLong(s.substring(0, dash)), toLong(s.substring(dash + 1)));
        }
        long a = toLong(s);
        return new AddressRange(a, a);
    }

    public int size() {
        return (int) (last - first + 1);
    }

    public List<InetAddress> addresses() {
        List<InetAddress> out = new ArrayList<>(size());
        for (long a = first; a <= last; a++) {
            byte[] b = {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
            try {
                out.add(InetAddress.getByAddress(b));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static long toLong(String dotted) {
        String t = dotted.trim();
        if (!t.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        try {
            InetAddress a = InetAddress.getByName(t);
            if (!(a instanceof Inet4Address)) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            byte[] b = a.getAddress();
            return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted, e);
        }
    }
}

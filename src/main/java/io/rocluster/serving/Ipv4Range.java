package io.rocluster.serving;

import io.rocluster.RoclusterException;

/**
 * An IPv4 client range in CIDR notation ({@code 10.0.2.0/24}), as NFS exports, NFS-Ganesha and dnsmasq
 * each want it spelled differently. Host bits must be zero so that a typo such as {@code 10.0.2.5/24}
 * is caught rather than silently widened.
 *
 * @param network the network address as 32 bits
 * @param prefix  the prefix length, 0 to 32
 */
public record Ipv4Range(int network, int prefix) {

    /** Parses {@code a.b.c.d/n}; a user error names the value and the expected form. */
    public static Ipv4Range parse(String cidr) {
        String s = cidr == null ? "" : cidr.strip();
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw bad(cidr, "missing /prefix");
        }
        int address = parseAddress(s.substring(0, slash), cidr);
        int prefix;
        try {
            prefix = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw bad(cidr, "the prefix is not a number");
        }
        if (prefix < 0 || prefix > 32) {
            throw bad(cidr, "the prefix must be 0 to 32");
        }
        int mask = mask(prefix);
        if ((address & ~mask) != 0) {
            throw bad(cidr, "host bits are set; did you mean " + format(address & mask) + "/" + prefix + "?");
        }
        return new Ipv4Range(address, prefix);
    }

    /** Parses a dotted-quad IPv4 address. */
    public static int parseAddress(String text, String context) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw bad(context, "not an IPv4 address");
        }
        int value = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw bad(context, "not an IPv4 address");
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                throw bad(context, "octet " + octet + " is over 255");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    private static RoclusterException bad(String cidr, String why) {
        return new RoclusterException("client range '" + cidr + "': " + why
                + "; give an IPv4 network in CIDR form, e.g. 10.0.2.0/24");
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    static String format(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    /** Whether an address lies in this range. */
    public boolean contains(int address) {
        return (address & mask(prefix)) == network;
    }

    /** The network address, dotted. */
    public String networkAddress() {
        return format(network);
    }

    /** The netmask, dotted (dnsmasq's proxy ranges want it). */
    public String netmask() {
        return format(mask(prefix));
    }

    @Override
    public String toString() {
        return networkAddress() + "/" + prefix;
    }
}

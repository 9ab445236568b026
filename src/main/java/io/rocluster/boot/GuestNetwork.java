package io.rocluster.boot;

import io.rocluster.RoclusterException;

/**
 * QEMU user-mode network laid out so that the guest finds the NFS server at the address baked into the
 * image: the host (and so everything listening on its loopback) appears at {@code host}, inside a /24
 * that holds it; the guest's DHCP lease starts elsewhere in that /24.
 *
 * @param network   network in CIDR form, e.g. {@code 10.0.2.0/24}
 * @param host      the address the guest reaches the host at (the image's NFS server)
 * @param dhcpStart first address QEMU's DHCP server hands out
 * @param dns       QEMU's DNS forwarder address, kept apart from the other two
 */
public record GuestNetwork(String network, String host, String dhcpStart, String dns) {

    /**
     * Lays out a network around the image's NFS server address.
     *
     * @throws RoclusterException when the server is not a literal IPv4 address (user networking can
     *                            only impersonate an address, not a name)
     */
    public static GuestNetwork around(String serverAddress) {
        int[] a = ipv4(serverAddress);
        int last = a[3];
        if (last == 0 || last == 255) {
            throw new RoclusterException("NFS server address " + serverAddress
                    + " is a network or broadcast address of its /24: give the image a host address (spec nfs.server)");
        }
        String prefix = a[0] + "." + a[1] + "." + a[2] + ".";
        // QEMU's defaults are .2 host, .3 DNS, .15 first lease; move the last two out of the server's way.
        int dns = last == 3 ? 4 : 3;
        int lease = 15;
        while (lease == last || lease == dns) {
            lease++;
        }
        return new GuestNetwork(prefix + "0/24", prefix + last, prefix + lease, prefix + dns);
    }

    private static int[] ipv4(String address) {
        String hint = "boot-test needs the image's NFS server as an IPv4 address, not '" + address
                + "': the guest reaches the test server at that address (spec nfs.server / master.yaml server)";
        if (address == null || !address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new RoclusterException(hint);
        }
        String[] parts = address.split("\\.");
        int[] octets = new int[4];
        for (int i = 0; i < 4; i++) {
            octets[i] = Integer.parseInt(parts[i]);
            if (octets[i] > 255) {
                throw new RoclusterException(hint);
            }
        }
        return octets;
    }
}

package io.rocluster.serving;

import java.nio.file.Path;

/**
 * Renders a dnsmasq configuration that adds PXE to an existing network without taking over its DHCP:
 * proxy-DHCP (dnsmasq answers only the PXE part; the site's DHCP server still assigns addresses and
 * hostnames, which the clients' state directories are named after) and TFTP from the master's tftpboot.
 *
 * <p>Which loader a client gets: an iPXE client (DHCP option 175, e.g. QEMU's NIC ROM or iPXE
 * chainloaded) gets {@code boot.ipxe}; a plain BIOS PXE ROM gets {@code pxelinux.0}; a UEFI x86-64 PXE ROM
 * gets a GRUB2 network image, {@code grubnetx64.efi} (built by {@code master init} from
 * grub-efi-amd64-bin, or Debian's signed one for Secure Boot), which reads {@code grub/grub.cfg}.
 */
public final class DnsmasqRenderer {

    private DnsmasqRenderer() {}

    /**
     * Renders the configuration.
     *
     * @param clients  the client network (proxy-DHCP answers there)
     * @param tftpRoot the master's tftpboot directory on this server
     */
    public static String render(Ipv4Range clients, Path tftpRoot) {
        String root = tftpRoot.toAbsolutePath().normalize().toString();
        if (root.chars().anyMatch(c -> c < 0x21 || c == ',' || c == '#')) {
            throw new IllegalArgumentException("dnsmasq cannot name a TFTP root with blanks, commas or '#': " + root);
        }
        return "# dnsmasq proxy-DHCP + TFTP for the PXE clients of a rocluster master;\n"
                + "# written by `rocluster render dnsmasq`. Install as /etc/dnsmasq.d/rocluster.conf.\n"
                + "# The site's DHCP server keeps assigning addresses and hostnames; dnsmasq adds the boot file.\n"
                + "\n"
                + "# No DNS service.\n"
                + "port=0\n"
                + "dhcp-range=" + clients.networkAddress() + ",proxy," + clients.netmask() + "\n"
                + "dhcp-no-override\n"
                + "enable-tftp\n"
                + "tftp-root=" + root + "\n"
                + "\n"
                + "# iPXE (option 175) runs the rocluster script.\n"
                + "dhcp-match=set:ipxe,175\n"
                + "dhcp-boot=tag:ipxe,boot.ipxe\n"
                + "# BIOS PXE ROMs: pxelinux.0 (dnsmasq adds the .0), which reads pxelinux.cfg/default.\n"
                + "pxe-service=tag:!ipxe,x86PC,\"rocluster (BIOS)\",pxelinux\n"
                + "# UEFI x86-64 PXE ROMs: the GRUB2 network image in the TFTP root, which reads grub/grub.cfg.\n"
                + "pxe-service=tag:!ipxe,X86-64_EFI,\"rocluster (UEFI)\",grubnetx64.efi\n";
    }
}

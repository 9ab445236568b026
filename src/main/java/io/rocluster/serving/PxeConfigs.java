package io.rocluster.serving;

/**
 * The three boot configurations a master serves from its TFTP root, rendered together so they always
 * describe the same menu.
 *
 * @param pxelinux contents of {@code pxelinux.cfg/default} (BIOS clients, pxelinux)
 * @param grub     contents of {@code grub/grub.cfg} (UEFI clients, GRUB2 network image)
 * @param ipxe     contents of {@code boot.ipxe} (iPXE clients)
 */
public record PxeConfigs(String pxelinux, String grub, String ipxe) {}

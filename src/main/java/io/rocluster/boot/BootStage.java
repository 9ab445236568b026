package io.rocluster.boot;

/**
 * How far a boot got, in the order a PXE boot passes these points on the serial console. A
 * direct-kernel boot starts at {@link #KERNEL}. Used to say where a failed boot stopped.
 */
public enum BootStage {
    NOTHING("no console output"),
    FIRMWARE("firmware (SeaBIOS)"),
    IPXE("iPXE network boot ROM"),
    PXELINUX("pxelinux"),
    KERNEL("kernel"),
    INITRAMFS("initramfs (dracut)"),
    // Reached also when the initramfs found no root it could mount: only SYSTEM proves the NFS root.
    ROOT_TARGET("initramfs reached initrd-root-fs.target"),
    SYSTEM("switched to the NFS root (system manager started there)"),
    MULTI_USER("multi-user.target reached"),
    REPORTED("boot check reported");

    private final String description;

    BootStage(String description) {
        this.description = description;
    }

    /** Words for a verdict ("stopped after: pxelinux"). */
    public String description() {
        return description;
    }
}

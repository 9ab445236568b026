package io.rocluster.boot;

/** How the boot test hands the kernel to the guest. */
public enum BootMode {
    /** The clients' path: iPXE ROM, pxelinux.0 and its config over TFTP, then kernel and initramfs. */
    PXE("pxe"),
    /** QEMU loads kernel and initramfs itself ({@code -kernel/-initrd/-append}): faster, skips PXE. */
    DIRECT_KERNEL("direct-kernel");

    private final String label;

    BootMode(String label) {
        this.label = label;
    }

    /** The name used in {@code boot-test.json} and on the console. */
    public String label() {
        return label;
    }
}

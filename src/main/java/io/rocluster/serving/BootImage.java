package io.rocluster.serving;

import java.util.Objects;

/**
 * One deployed version as a boot menu sees it: where its kernel and initramfs sit in the TFTP tree and
 * the image's own kernel arguments. The NFS root path is derived from the version, so an entry can never
 * point a kernel at another version's root.
 *
 * @param version       the image version ({@link io.rocluster.spec.ImageVersion})
 * @param kernelCmdline the image's extra kernel arguments (manifest {@code kernelCmdline}); may be empty
 * @param nfsOptions    extra NFS mount options for the root (spec {@code nfs.options}); may be empty
 */
public record BootImage(String version, String kernelCmdline, String nfsOptions) {

    public BootImage {
        Objects.requireNonNull(version, "version");
        kernelCmdline = kernelCmdline == null ? "" : kernelCmdline.strip();
        nfsOptions = nfsOptions == null ? "" : nfsOptions.strip();
    }

    /** Kernel path relative to the TFTP root. */
    public String kernelPath() {
        return "images/" + version + "/vmlinuz";
    }

    /** Initramfs path relative to the TFTP root. */
    public String initrdPath() {
        return "images/" + version + "/initramfs.img";
    }
}

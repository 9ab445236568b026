package io.rocluster.readonly;

import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.ImageSpec.Profile;
import io.rocluster.spec.ImageSpec.Selinux;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The kernel command line that boots a deployed version of an image, for the boot configs (PXE, GRUB, iPXE)
 * and the boot test. The root is the version's export on the master, {@code <masterRoot>/images/<version>/root},
 * in dracut's syntax: {@code root=nfs4:<server>:<path>[:<options>]} for NFSv4,
 * {@code root=nfs:<server>:<path>:vers=3[,<options>]} for v3; without a server (a diskful spec may leave it
 * empty) dracut takes the DHCP server's next-server.
 */
public final class KernelCmdline {

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private KernelCmdline() {}

    /** The root's export path on the master for {@code version}, as clients mount it. */
    public static String rootPath(ImageSpec spec, String version) {
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("not a version: '" + version + "'");
        }
        return spec.nfs().masterRoot() + "/images/" + version + "/root";
    }

    /** {@code root=…} for the image deployed as {@code version}. */
    public static String rootArgument(ImageSpec spec, String version) {
        String server = spec.nfs().server().isEmpty() ? "" : spec.nfs().server() + ":";
        List<String> options = new ArrayList<>();
        String type = "nfs4";
        if (spec.nfs().version() == 3) {
            type = "nfs";
            options.add("vers=3");
        }
        if (!spec.nfs().options().isEmpty()) {
            options.add(spec.nfs().options());
        }
        return "root=" + type + ":" + server + rootPath(spec, version)
                + (options.isEmpty() ? "" : ":" + String.join(",", options));
    }

    /**
     * The whole command line: {@code root=…}, {@code ro}, {@code selinux=0} on an el7 image with SELinux disabled
     * (FACTS: a policy load can hang a diskless boot, so the kernel does not even start SELinux), then the spec's
     * {@code initramfs.cmdline}.
     */
    public static String of(ImageSpec spec, String version) {
        List<String> args = new ArrayList<>();
        args.add(rootArgument(spec, version));
        args.add("ro");
        if (spec.profile() == Profile.EL7 && spec.selinux() == Selinux.DISABLED) {
            args.add("selinux=0");
        }
        if (!spec.initramfs().cmdline().isEmpty()) {
            args.add(spec.initramfs().cmdline());
        }
        return String.join(" ", args);
    }
}

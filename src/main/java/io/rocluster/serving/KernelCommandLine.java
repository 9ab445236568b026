package io.rocluster.serving;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel command line that boots a version from the master: dracut's NFS root syntax
 * ({@code root=nfs:server:/path[:options]}, {@code nfs4:} for NFSv4), read-only, DHCP in the initramfs
 * ({@code rd.neednet=1} keeps the network up for the root), then the image's own arguments.
 */
public final class KernelCommandLine {

    private KernelCommandLine() {}

    /** The NFS path of a version's root as clients mount it. */
    public static String rootPath(String clientRoot, String version) {
        String base = clientRoot.endsWith("/") ? clientRoot.substring(0, clientRoot.length() - 1) : clientRoot;
        return base + "/images/" + version + "/root";
    }

    /** The full command line for one image under the given settings. */
    public static String of(PxeSettings settings, BootImage image) {
        List<String> args = new ArrayList<>();
        String scheme = settings.nfsVersion() == 4 ? "nfs4" : "nfs";
        String root = "root=" + scheme + ":" + settings.server() + ":" + rootPath(settings.clientRoot(), image.version());
        if (!image.nfsOptions().isEmpty()) {
            root += ":" + image.nfsOptions();
        }
        args.add(root);
        args.add("ro");
        args.add("ip=dhcp");
        args.add("rd.neednet=1");
        if (!image.kernelCmdline().isEmpty()) {
            args.add(image.kernelCmdline());
        }
        args.addAll(settings.extraArgs());
        return String.join(" ", args);
    }
}

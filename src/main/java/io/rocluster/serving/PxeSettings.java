package io.rocluster.serving;

import java.util.List;
import java.util.Objects;

/**
 * What every boot menu entry shares: the NFS server as clients reach it, the master root as clients see
 * it, the NFS version, the menu timeout, and arguments added to every entry (the boot test adds
 * {@code rocluster.boottest} here).
 *
 * @param server         the master's address as clients reach it
 * @param clientRoot     the master root path as clients see it over NFS (e.g. /data/cluster)
 * @param nfsVersion     3 ({@code root=nfs:}) or 4 ({@code root=nfs4:})
 * @param timeoutSeconds how long the menu waits before booting the default entry
 * @param menu           whether pxelinux shows a menu (needs menu.c32, libutil.c32, libcom32.c32 in the
 *                       TFTP root); without it pxelinux shows a {@code boot:} prompt listing the labels
 * @param extraArgs      arguments appended to every entry's kernel command line
 */
public record PxeSettings(String server, String clientRoot, int nfsVersion, int timeoutSeconds, boolean menu,
        List<String> extraArgs) {

    public PxeSettings {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(clientRoot, "clientRoot");
        if (nfsVersion != 3 && nfsVersion != 4) {
            throw new IllegalArgumentException("nfsVersion must be 3 or 4, not " + nfsVersion);
        }
        if (timeoutSeconds < 0) {
            throw new IllegalArgumentException("timeoutSeconds must not be negative");
        }
        extraArgs = List.copyOf(extraArgs == null ? List.of() : extraArgs);
    }

    /** The same settings with more kernel arguments on every entry. */
    public PxeSettings withExtraArgs(List<String> more) {
        List<String> all = new java.util.ArrayList<>(extraArgs);
        all.addAll(more);
        return new PxeSettings(server, clientRoot, nfsVersion, timeoutSeconds, menu, all);
    }
}

package io.rocluster.readonly;

import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.ImageSpec.Profile;
import io.rocluster.spec.ImageSpec.SshHostKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * The other files a read-only client root needs: fstab, SELinux config, an empty machine-id, and on debian12
 * the SSH host key generation that EL7's sshd-keygen.service already does.
 */
final class SystemFiles {

    private SystemFiles() {}

    /**
     * {@code /etc/fstab} as the reference procedure has it: tmpfs /tmp and /dev/shm, sysfs, proc. No line for
     * {@code /}: the initramfs mounts the NFS root named by {@code root=}, read-only unless the command line
     * says {@code rw}, and the export path changes with every deployed version; systemd-remount-fs then
     * follows the command line's {@code ro}.
     */
    static RenderedFile fstab() {
        String text = """
                # /etc/fstab rendered by rocluster. No line for /: the root is the NFS export named by root=
                # on the kernel command line, mounted read-only by the initramfs.
                tmpfs\t/tmp\ttmpfs\tdefaults,nosuid,nodev,mode=1777\t0 0
                tmpfs\t/dev/shm\ttmpfs\tdefaults,nosuid,nodev\t0 0
                sysfs\t/sys\tsysfs\tdefaults\t0 0
                proc\t/proc\tproc\tdefaults\t0 0
                """;
        return new RenderedFile("/etc/fstab", 0644, text);
    }

    /**
     * Empty, not missing (FACTS pitfalls): systemd then makes a transient id at each boot instead of trying to
     * write one to the read-only root, and no two clients share an id baked in at build time.
     */
    static RenderedFile machineId() {
        return new RenderedFile("/etc/machine-id", 0444, "");
    }

    /** {@code /etc/selinux/config} (el7 only: debian12 images carry no SELinux). */
    static List<RenderedFile> selinux(ImageSpec spec) {
        if (spec.profile() != Profile.EL7) {
            return List.of();
        }
        String mode = switch (spec.selinux()) {
            case DISABLED -> "disabled";
            case PERMISSIVE -> "permissive";
            case ENFORCING -> "enforcing";
        };
        String text = "# /etc/selinux/config rendered by rocluster from the image spec (selinux).\n"
                + (spec.selinux() == ImageSpec.Selinux.DISABLED
                        ? "# Disabled: loading the policy can hang diskless boots.\n" : "")
                + "SELINUX=" + mode + "\n"
                + "SELINUXTYPE=targeted\n";
        return List.of(new RenderedFile("/etc/selinux/config", 0644, text));
    }

    /**
     * debian12 with per-client keys: Debian's ssh.service only checks its config ({@code sshd -t}), which fails
     * without host keys; generate the missing ones first, into /etc/ssh, which statetab keeps per client. The
     * drop-in is inert while openssh-server is not installed.
     */
    static List<RenderedFile> sshHostKeys(ImageSpec spec) {
        List<RenderedFile> files = new ArrayList<>();
        if (spec.profile() == Profile.DEBIAN12 && spec.sshHostKeys() == SshHostKeys.PER_CLIENT) {
            files.add(new RenderedFile("/etc/systemd/system/ssh.service.d/rocluster-host-keys.conf", 0644, """
                    # Rendered by rocluster (sshHostKeys: per-client): the image has no SSH host keys; each client
                    # makes its own at first start, in /etc/ssh, which statetab keeps in its state area.
                    [Service]
                    ExecStartPre=
                    ExecStartPre=/usr/bin/ssh-keygen -A
                    ExecStartPre=/usr/sbin/sshd -t
                    """));
        }
        return files;
    }
}

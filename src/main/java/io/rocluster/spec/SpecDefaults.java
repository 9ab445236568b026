package io.rocluster.spec;

import io.rocluster.spec.ImageSpec.FileCapabilities;
import io.rocluster.spec.ImageSpec.Mode;
import io.rocluster.spec.ImageSpec.Selinux;
import io.rocluster.spec.ImageSpec.SshHostKeys;

/**
 * The defaults that do not depend on the profile (those that do are in {@link ProfileDefaults}). Each one is
 * what the reference procedure (FACTS.md) does, or what initscripts 9.49 assumes when a setting is absent.
 */
public final class SpecDefaults {

    /** Diskless: the reference procedure's main case; state lives on the master. */
    public static final Mode MODE = Mode.DISKLESS;
    /** initscripts 9.49's RW_MOUNT. */
    public static final String RW_MOUNT = "/var/lib/stateless/writable";
    /** initscripts 9.49's STATE_MOUNT. */
    public static final String STATE_MOUNT = "/var/lib/stateless/state";
    /** The reference procedure's master directory (images/, state/, tftpboot/ below it). */
    public static final String MASTER_ROOT = "/data/cluster";
    /**
     * NFS version 4: the boot test's server is NFS-Ganesha configured for NFSv4 only (FACTS "Debian 12": the
     * machine's kernel has no NFS server, and v3 would also need NLM, rpcbind and mountd in user space), and v4
     * needs one TCP port, which suits firewalled masters. Set 3 for a kernel-nfsd master serving v3 only.
     */
    public static final int NFS_VERSION = 4;
    /** Disabled: loading the SELinux policy can hang diskless boots (FACTS "EL7 read-only root"). */
    public static final Selinux SELINUX = Selinux.DISABLED;
    /** Per client: shared host keys let any client impersonate any other (FACTS pitfalls). */
    public static final SshHostKeys SSH_HOST_KEYS = SshHostKeys.PER_CLIENT;
    /** Keep: the image stays as its packages made it; the build warns about capabilities an NFS client cannot see. */
    public static final FileCapabilities FILE_CAPABILITIES = FileCapabilities.KEEP;
    /**
     * The build date of the distribution's release package (base-files, centos-release): a property of the
     * package set, so two builds of the same packages clamp to the same time (mkosi's SourceDateEpoch=, decided
     * for the user), and one that moves only with point releases, so a nightly where one package was updated
     * leaves the mtimes of everything else, and deploy shares those files.
     */
    public static final String SOURCE_DATE_EPOCH = ImageSpec.DISTRIBUTION_RELEASE;
    /** Where SSH host keys live; in statetab when keys are per client, so each client keeps its own. */
    public static final String SSH_DIR = "/etc/ssh";

    private SpecDefaults() {}
}

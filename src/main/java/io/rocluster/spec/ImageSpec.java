package io.rocluster.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The image spec: the one input a user writes (YAML or JSON). Loaded strictly by {@link SpecLoader};
 * after loading, every field holds its effective value (defaults filled in), never null; a text field a
 * setting does not use is empty ({@code readonly.rwLabel} of a diskless client, {@code nfs.server} of a
 * diskful client that takes its NFS server from DHCP).
 *
 * <p>Defaults: {@link SpecDefaults} for scalars, {@link ProfileDefaults} for lists. Every list
 * <em>extends</em> its default list; an entry {@code "!x"} removes the default {@code x}. A scalar replaces
 * its default.
 *
 * @param name             image name, used in artefact paths: the {@link ImageVersion} rule
 * @param profile          the builder and distribution
 * @param packages         packages added to the profile's required set
 * @param readonly         readonly-root settings (/etc/sysconfig/readonly-root on EL7)
 * @param rwtab            paths made writable from a tmpfs at boot
 * @param statetab         paths kept across boots in the client's state area
 * @param units            systemd units disabled or masked in the image
 * @param initramfs        dracut settings
 * @param nfs              the master's NFS server and export root
 * @param selinux          SELinux mode written to the image
 * @param sshHostKeys      whether SSH host keys are generated per client at boot or shared by all clients
 * @param fileCapabilities what happens to files with file capabilities (NFS clients cannot see them)
 * @param sourceDateEpoch  the time every mtime of the image is clamped to: {@code distribution-release} (the
 *                         build date of the distribution's release package, base-files or centos-release),
 *                         {@code newest-package} (the newest build date among the installed packages), both
 *                         decided by the build, or a number of seconds since 1970 in the past; the manifest
 *                         records the value used
 */
public record ImageSpec(
        String name,
        Profile profile,
        List<String> packages,
        ReadOnly readonly,
        Rwtab rwtab,
        List<String> statetab,
        Units units,
        Initramfs initramfs,
        Nfs nfs,
        Selinux selinux,
        SshHostKeys sshHostKeys,
        FileCapabilities fileCapabilities,
        String sourceDateEpoch) {

    /** {@link #sourceDateEpoch} when the build takes the release package's build date. */
    public static final String DISTRIBUTION_RELEASE = "distribution-release";
    /** {@link #sourceDateEpoch} when the build takes the newest package's build date. */
    public static final String NEWEST_PACKAGE = "newest-package";

    /** The clamp this spec fixes, or empty when the build decides it from the packages. */
    public java.util.OptionalLong fixedSourceDateEpoch() {
        return sourceDateEpoch.equals(DISTRIBUTION_RELEASE) || sourceDateEpoch.equals(NEWEST_PACKAGE)
                ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(Long.parseLong(sourceDateEpoch));
    }


    /** Builder profile: distribution of the image and of its builder container. */
    public enum Profile {
        @JsonProperty("el7") EL7,
        @JsonProperty("debian12") DEBIAN12;

        /** The name a spec, a manifest and the command line use: {@code el7}, {@code debian12}. */
        public String id() {
            return SpecBinder.enumName(this);
        }

        /** The profile named {@code id}, or empty. */
        public static java.util.Optional<Profile> byId(String id) {
            return java.util.Arrays.stream(values()).filter(p -> p.id().equals(id)).findFirst();
        }
    }

    /** Where a client's writable and state areas come from. */
    public enum Mode {
        /** State lives in a per-FQDN directory on the master, mounted over NFS. */
        @JsonProperty("diskless") DISKLESS,
        /** State and RW areas live on the client's own labelled partitions. */
        @JsonProperty("diskful") DISKFUL
    }

    /** SELinux setting written to the image. */
    public enum Selinux {
        @JsonProperty("disabled") DISABLED,
        @JsonProperty("permissive") PERMISSIVE,
        @JsonProperty("enforcing") ENFORCING
    }

    /** SSH host key policy. */
    public enum SshHostKeys {
        /** No keys in the image; each client generates its own at boot (kept via statetab). */
        @JsonProperty("per-client") PER_CLIENT,
        /** Keys generated once at build time, shared by every client of the image. */
        @JsonProperty("shared") SHARED
    }

    /** File capability policy. */
    public enum FileCapabilities {
        /** Keep security.capability xattrs as built (and warn: NFS clients ignore them). */
        @JsonProperty("keep") KEEP,
        /** Replace file capabilities by setuid root, recorded in the manifest. */
        @JsonProperty("setuid") SETUID
    }

    /**
     * Readonly-root settings, named as in EL7's /etc/sysconfig/readonly-root.
     *
     * @param mode         diskless or diskful
     * @param rwMount      RW_MOUNT
     * @param rwOptions    RW_OPTIONS (passed raw to mount, e.g. "-o size=512m")
     * @param rwLabel      RW_LABEL (diskful only)
     * @param stateLabel   STATE_LABEL (diskful only)
     * @param stateMount   STATE_MOUNT
     * @param stateOptions STATE_OPTIONS
     * @param slaveMounts  SLAVE_MOUNTS
     */
    public record ReadOnly(
            Mode mode,
            String rwMount,
            String rwOptions,
            String rwLabel,
            String stateLabel,
            String stateMount,
            String stateOptions,
            Boolean slaveMounts) {}

    /** rwtab entries by kind: {@code dirs}, {@code empty}, {@code files} (absolute paths). */
    public record Rwtab(List<String> dirs, List<String> empty, List<String> files) {}

    /** systemd units to disable and to mask. */
    public record Units(List<String> disable, List<String> mask) {}

    /**
     * dracut settings.
     *
     * @param modules     dracut modules added (add_dracutmodules)
     * @param drivers     kernel drivers added (add_drivers), e.g. the clients' NIC drivers
     * @param omitModules dracut modules omitted
     * @param cmdline     extra kernel command line arguments, baked into the initramfs and the PXE configs
     */
    public record Initramfs(List<String> modules, List<String> drivers, List<String> omitModules, String cmdline) {}

    /**
     * The master's NFS service as clients see it.
     *
     * @param server     the master's address or name as clients reach it; diskless clients mount their state
     *                   from it (CLIENTSTATE), so it is required for them; empty: a diskful client's root comes
     *                   from the DHCP server's next-server
     * @param masterRoot the master's root directory as clients see it (images/, state/, tftpboot/ under it)
     * @param version    NFS protocol version, 3 or 4; the master's boot configs mount the root with the version
     *                   of its master.yaml, which should agree
     * @param options    extra NFS mount options for the root (appended to root=nfs:…:opts)
     */
    public record Nfs(String server, String masterRoot, Integer version, String options) {}
}

package io.rocluster.spec;

import io.rocluster.spec.ImageSpec.Profile;
import io.rocluster.spec.ImageSpec.Rwtab;
import io.rocluster.spec.ImageSpec.Units;
import java.util.List;

/**
 * What a profile brings before the spec says anything: the list defaults a spec extends (and may trim with
 * {@code "!entry"}), and the package set every image of the profile needs.
 *
 * <p>The read-only defaults follow the reference procedure (FACTS.md): rwtab {@code /etc/localtime},
 * {@code /var/lock}, {@code /var/lib/postfix/master.lock}, {@code /var/lib/gssproxy}; statetab {@code /var/log}.
 * {@code /var/lock} is a {@code dirs} entry as in initscripts' stock /etc/rwtab of the sysvinit era (later
 * stock files dropped it because /var/lock became a symlink into /run; binding over it is harmless).
 * EL7 images also carry initscripts' own /etc/rwtab, which covers /etc/resolv.conf, /var/lib/nfs, /var/tmp
 * and friends. Debian has no such file, so debian12 adds the entries of that stock file that a Debian client
 * with nfs-common and a DHCP client needs.
 *
 * @param profile          the profile
 * @param requiredPackages packages every image of the profile gets; the spec's {@code packages} are added.
 *                         The build's packages stage owns this list: change it here, not in a script
 * @param rwtab            rwtab entries by kind
 * @param statetab         statetab paths ({@code /etc/ssh} is added when {@code sshHostKeys: per-client})
 * @param units            units disabled and masked
 * @param modules          dracut modules added
 * @param drivers          kernel drivers added to the initramfs
 * @param omitModules      dracut modules left out
 */
public record ProfileDefaults(
        Profile profile,
        List<String> requiredPackages,
        Rwtab rwtab,
        List<String> statetab,
        Units units,
        List<String> modules,
        List<String> drivers,
        List<String> omitModules) {

    /** The defaults of {@code profile}. */
    public static ProfileDefaults of(Profile profile) {
        return switch (profile) {
            case EL7 -> new ProfileDefaults(profile,
                    // FACTS "reference procedure": dracut-config-generic makes the initramfs non-host-specific.
                    List.of("kernel", "dracut-network", "dracut-config-generic", "nfs-utils", "rsync"),
                    new Rwtab(
                            List.of("/var/lock", "/var/lib/gssproxy"),
                            List.of(),
                            List.of("/etc/localtime", "/var/lib/postfix/master.lock")),
                    List.of("/var/log"),
                    // readahead-collect writes /.readahead on every boot: it fails on a read-only root.
                    new Units(List.of("systemd-readahead-collect.service"), List.of()),
                    List.of("nfs", "network", "base", "kernel-modules"),
                    List.of(),
                    List.of());
            case DEBIAN12 -> new ProfileDefaults(profile,
                    // FACTS "Debian 12": network-legacy needs ip, dhclient and pgrep in the root. dracut runs
                    // inside the root and compresses the initramfs with the root's zstd.
                    List.of("systemd-sysv", "iproute2", "isc-dhcp-client", "procps",
                            "linux-image-amd64", "dracut", "dracut-network", "nfs-common", "rsync", "zstd"),
                    new Rwtab(
                            List.of("/var/lock", "/var/lib/gssproxy"),
                            List.of("/var/tmp", "/var/lib/dhcp"),
                            List.of("/etc/localtime", "/var/lib/postfix/master.lock",
                                    "/etc/resolv.conf", "/var/lib/systemd", "/var/lib/nfs", "/var/spool")),
                    List.of("/var/log"),
                    // apt's timers would try to update package lists in a read-only root and fail.
                    new Units(List.of("apt-daily.timer", "apt-daily-upgrade.timer"), List.of()),
                    // FACTS "Debian 12": network-legacy (dhclient), not the systemd-networkd network module,
                    // which waited forever for the NFS root.
                    List.of("nfs", "network-legacy", "base", "kernel-modules"),
                    List.of(),
                    List.of("systemd-networkd", "network-manager", "connman", "plymouth", "ifcfg"));
        };
    }
}

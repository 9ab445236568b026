package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import io.rocluster.archive.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rocluster apply} on small roots in temporary directories, through the real stage script on this
 * machine's shell: what it changes, that a dry run lists exactly that and writes nothing, that a second run
 * changes nothing, that symlinks of the root never lead out of it, and what it refuses before touching
 * anything. Its run on the real CentOS 7 userland is {@code El7FixtureIT}.
 */
class ApplyServiceTest {

    @TempDir
    Path tmp;

    Path root;

    @BeforeEach
    void el7Root() throws IOException {
        root = tmp.resolve("root");
        write("usr/lib/os-release", "ID=\"centos\"\nVERSION_ID=\"7\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\n");
        Files.createSymbolicLink(Files.createDirectories(root.resolve("etc")).resolve("os-release"),
                Path.of("../usr/lib/os-release"));
        write("etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n");
        write("etc/hostname", "builder.example\n");
        write("etc/resolv.conf", "nameserver 10.0.0.1\n");
        write("var/lib/rpm/Packages", "rpmdb");
        write("var/lib/rpm/__db.001", "env");
        write("etc/sysconfig/network-scripts/ifcfg-eth0", "DEVICE=eth0\n");
        write("etc/sysconfig/network-scripts/ifcfg-lo", "DEVICE=lo\n");
        write("etc/ssh/ssh_host_ed25519_key", "private");
        write("usr/lib/systemd/system/kdump.service", "[Install]\nWantedBy=multi-user.target\n");
        Files.createDirectories(root.resolve("etc/systemd/system/multi-user.target.wants"));
        Files.createSymbolicLink(root.resolve("etc/systemd/system/multi-user.target.wants/kdump.service"),
                Path.of("/usr/lib/systemd/system/kdump.service"));
    }

    @Test
    void dryRunListsWhatTheRunDoesAndTheSecondRunChangesNothing() throws IOException {
        assumeRoot();
        Map<String, String> before = snapshot();

        List<String> dryLines = new ArrayList<>();
        ApplyService.Result dry = new ApplyService().apply(spec("el7"), root, true, dryLines::add);

        assertThat(snapshot()).isEqualTo(before);
        assertThat(dry.dryRun()).isTrue();
        assertThat(dryLines).first().asString().contains("CentOS Linux 7 (Core)");
        assertThat(dryLines).contains("would remove /etc/hostname", "would empty /etc/resolv.conf");
        assertThat(dryLines).last().asString().isEqualTo(dry.changes().size() + " changes to make (dry run: the root is untouched)");

        List<String> lines = new ArrayList<>();
        ApplyService.Result first = new ApplyService().apply(spec("el7"), root, false, lines::add);

        assertThat(first.changes()).isEqualTo(dry.changes()).contains(
                "remove /etc/hostname",
                "remove /var/lib/rpm/__db.001",
                "remove /etc/sysconfig/network-scripts/ifcfg-eth0",
                "remove /etc/ssh/ssh_host_ed25519_key",
                "remove /etc/systemd/system/multi-user.target.wants/kdump.service (disable kdump.service)",
                "empty /etc/resolv.conf",
                "create /etc/rwtab.d/rocluster",
                "create /etc/machine-id",
                "create directory /var/lib/stateless/writable",
                "create /var/lib/postfix/master.lock (empty)");
        assertThat(lines).last().asString().isEqualTo(first.changes().size() + " changes made");
        assertThat(root.resolve("etc/hostname")).doesNotExist();
        assertThat(root.resolve("var/lib/rpm/Packages")).hasContent("rpmdb");
        assertThat(root.resolve("etc/sysconfig/network-scripts/ifcfg-lo")).exists();
        assertThat(root.resolve("etc/resolv.conf")).isEmptyFile();
        assertThat(root.resolve("etc/systemd/system/multi-user.target.wants/kdump.service")).doesNotExist();
        assertThat(Files.readString(root.resolve("etc/sysconfig/readonly-root"))).contains("READONLY=yes\n");
        assertThat(Files.getAttribute(root.resolve("etc/machine-id"), "unix:mode")).isEqualTo(0100444);
        assertThat(Files.getAttribute(root.resolve("etc/fstab"), "unix:uid")).isEqualTo(0);
        // The staged mtime (0) comes with the file, as in the builder: unchanged files stay equal across builds.
        assertThat(Files.getLastModifiedTime(root.resolve("etc/fstab")).toMillis()).isZero();
        // Static trees come too: the boot-check unit and its enablement link.
        assertThat(Files.readSymbolicLink(root.resolve("etc/systemd/system/multi-user.target.wants/rocluster-bootcheck.service")))
                .isEqualTo(Path.of("/usr/lib/systemd/system/rocluster-bootcheck.service"));

        Map<String, String> applied = snapshot();
        List<String> again = new ArrayList<>();
        ApplyService.Result second = new ApplyService().apply(spec("el7"), root, false, again::add);

        assertThat(second.changes()).isEmpty();
        assertThat(again).last().asString().isEqualTo("nothing to change");
        assertThat(snapshot()).isEqualTo(applied);
    }

    @Test
    void symlinksOfTheRootAreResolvedInsideIt() throws IOException {
        assumeRoot();
        // A hand-built root may hold absolute symlinks; followed on the host they would reach its own files.
        Path host = Files.createDirectories(tmp.resolve("host"));
        Files.writeString(Files.createDirectories(host.resolve("network-scripts")).resolve("ifcfg-eth0"), "host's");
        Files.writeString(Files.createDirectories(host.resolve("ssh")).resolve("ssh_host_rsa_key"), "host's key");
        Files.writeString(host.resolve("hostname"), "host's name");
        deleteTree(root.resolve("etc/sysconfig/network-scripts"));
        deleteTree(root.resolve("etc/ssh"));
        Files.delete(root.resolve("etc/hostname"));
        Files.createSymbolicLink(root.resolve("etc/sysconfig/network-scripts"), host.resolve("network-scripts"));
        Files.createSymbolicLink(root.resolve("etc/ssh"), host.resolve("ssh"));
        Files.createSymbolicLink(root.resolve("etc/hostname"), host.resolve("hostname"));
        Files.createSymbolicLink(root.resolve("etc/selinux"), host);
        Map<String, String> hostBefore = TreeSnapshot.of(host, p -> false);

        ApplyService.Result r = new ApplyService().apply(spec("el7"), root, false, l -> { });

        assertThat(TreeSnapshot.of(host, p -> false)).isEqualTo(hostBefore);
        // /etc/selinux -> <host> is followed inside the root: config lands under root<host>, not in <host>.
        assertThat(root.resolve(host.toString().substring(1)).resolve("config")).content().contains("SELINUX=disabled");
        assertThat(r.changes()).contains("remove /etc/hostname").doesNotContain("remove /etc/ssh/ssh_host_rsa_key");
        assertThat(Files.exists(root.resolve("etc/hostname"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void filesSharedByHardlinkWithAnotherTreeAreReplacedNotWritten() throws IOException {
        assumeRoot();
        // Deployed versions share identical files by hardlink; a change to one root must not reach the others.
        Path other = Files.createDirectories(tmp.resolve("other/etc"));
        Files.createLink(other.resolve("resolv.conf"), root.resolve("etc/resolv.conf"));
        Files.createLink(other.resolve("readonly-root"), Files.writeString(Files.createDirectories(
                root.resolve("etc/sysconfig")).resolve("readonly-root"), "READONLY=no\n"));

        new ApplyService().apply(spec("el7"), root, false, l -> { });

        assertThat(root.resolve("etc/resolv.conf")).isEmptyFile();
        assertThat(other.resolve("resolv.conf")).hasContent("nameserver 10.0.0.1");
        assertThat(other.resolve("readonly-root")).hasContent("READONLY=no");
        assertThat(Files.getAttribute(other.resolve("resolv.conf"), "unix:nlink")).isEqualTo(1);
    }

    @Test
    void maskedUnitsAreLinksToDevNull() throws IOException {
        assumeRoot();
        Path spec = tmp.resolve("masked.yaml");
        Files.writeString(spec, Files.readString(Path.of("examples/el7.yaml"))
                .replace("  mask: []", "  mask:\n    - tmp.mount\n    - getty@tty1.service"));

        ApplyService.Result r = new ApplyService().apply(spec, root, false, l -> { });

        assertThat(Files.readSymbolicLink(root.resolve("etc/systemd/system/tmp.mount"))).isEqualTo(Path.of("/dev/null"));
        assertThat(Files.readSymbolicLink(root.resolve("etc/systemd/system/getty@tty1.service")))
                .isEqualTo(Path.of("/dev/null"));
        assertThat(r.changes()).contains("mask tmp.mount (/etc/systemd/system/tmp.mount -> /dev/null)");
        assertThat(new ApplyService().apply(spec, root, false, l -> { }).changes()).isEmpty();
    }

    @Test
    void aRootOfAnotherDistributionIsRefusedUntouched() throws IOException {
        Path debian = tmp.resolve("debian");
        Files.createDirectories(debian.resolve("etc"));
        Files.writeString(debian.resolve("etc/os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n"
                + "VERSION_ID=\"12\"\n");
        Files.writeString(debian.resolve("etc/hostname"), "keep me\n");
        Map<String, String> before = TreeSnapshot.of(debian, p -> false);

        assertThatThrownBy(() -> new ApplyService().apply(spec("el7"), debian, false, l -> { }))
                .isInstanceOf(RoclusterException.class)
                .hasMessage(debian + " is Debian GNU/Linux 12 (bookworm) (etc/os-release) but examples/el7.yaml has profile"
                        + " el7, for CentOS 7 or RHEL 7: nothing changed; apply a spec of the root's distribution, or check --root");
        assertThat(TreeSnapshot.of(debian, p -> false)).isEqualTo(before);

        Map<String, String> el7 = snapshot();
        assertThatThrownBy(() -> new ApplyService().apply(spec("debian12"), root, true, l -> { }))
                .hasMessageContaining("is CentOS Linux 7 (Core) (usr/lib/os-release) but examples/debian12.yaml has profile debian12");
        assertThat(snapshot()).isEqualTo(el7);
    }

    @Test
    void whatIsNotAClientRootIsRefused() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> new ApplyService().apply(spec("el7"), empty, true, l -> { }))
                .hasMessageContaining("has no etc/os-release");
        assertThatThrownBy(() -> new ApplyService().apply(spec("el7"), tmp.resolve("missing"), true, l -> { }))
                .hasMessage("--root " + tmp.resolve("missing") + " is not a directory: give the client's root directory");
        assertThatThrownBy(() -> new ApplyService().apply(spec("el7"), Path.of("/"), true, l -> { }))
                .hasMessageContaining("is this machine's own root");
    }

    private static Path spec(String example) {
        return Path.of("examples", example + ".yaml");
    }

    private static void assumeRoot() throws IOException {
        Assumptions.assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "apply installs root-owned files: run the tests as root");
    }

    private Map<String, String> snapshot() throws IOException {
        return TreeSnapshot.of(root, p -> false);
    }

    private void write(String rel, String text) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

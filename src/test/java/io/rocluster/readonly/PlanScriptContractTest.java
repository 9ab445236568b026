package io.rocluster.readonly;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered plan run by the real consumer, {@code apply_plan} of {@code stages/readonly-plan.sh}, on a small
 * root that holds what a build leaves behind. Proves the two sides agree on the format and that the plan
 * removes, keeps and creates what it means to. Units are left to the build's integration test: systemctl
 * needs a real image.
 */
class PlanScriptContractTest {

    @TempDir
    Path tmp;

    @Test
    void el7PlanCleansTheRootAndCreatesTheReadonlyPaths() throws Exception {
        Path root = tmp.resolve("root");
        write(root, "etc/hostname", "builder-1234\n");
        write(root, "var/lib/rpm/__db.001", "x");
        write(root, "var/lib/rpm/Packages", "keep me");
        write(root, "etc/sysconfig/network-scripts/ifcfg-eth0", "DEVICE=eth0\n");
        write(root, "etc/sysconfig/network-scripts/ifcfg-lan", "DEVICE=lan\n");
        write(root, "etc/sysconfig/network-scripts/ifcfg-lo", "DEVICE=lo\n");
        write(root, "etc/sysconfig/network-scripts/ifup-eth", "#!/bin/sh\n");
        write(root, "etc/udev/rules.d/70-persistent-net.rules", "SUBSYSTEM==\"net\"\n");
        write(root, ".readahead", "x");
        write(root, "var/lib/random-seed", "x");
        write(root, "var/lib/dbus/machine-id", "0123456789abcdef\n");
        write(root, "etc/resolv.conf", "nameserver 172.17.0.1\n");
        write(root, "etc/ssh/ssh_host_rsa_key", "secret");
        write(root, "etc/ssh/ssh_host_rsa_key.pub", "public");
        write(root, "etc/ssh/sshd_config", "PermitRootLogin no\n");
        Files.createDirectories(root.resolve("var"));
        // As on EL7: /var/lock points into /run, which is empty in a build root (dangling) — it must stay a link.
        Files.createSymbolicLink(root.resolve("var/lock"), Path.of("../run/lock"));
        // /etc/localtime is an absolute link: resolved outside the root it must never be followed or written.
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/localtime"), Path.of("/usr/share/zoneinfo/Nowhere/rocluster-test"));

        String log = apply(root, "el7");

        assertThat(root.resolve("etc/hostname")).doesNotExist();
        assertThat(root.resolve("var/lib/rpm/__db.001")).doesNotExist();
        assertThat(root.resolve("var/lib/rpm/Packages")).exists();
        assertThat(root.resolve("etc/sysconfig/network-scripts/ifcfg-eth0")).doesNotExist();
        assertThat(root.resolve("etc/sysconfig/network-scripts/ifcfg-lan")).doesNotExist();
        assertThat(root.resolve("etc/sysconfig/network-scripts/ifcfg-lo")).exists();
        assertThat(root.resolve("etc/sysconfig/network-scripts/ifup-eth")).exists();
        assertThat(root.resolve("etc/udev/rules.d/70-persistent-net.rules")).doesNotExist();
        assertThat(root.resolve(".readahead")).doesNotExist();
        assertThat(root.resolve("var/lib/random-seed")).doesNotExist();
        assertThat(root.resolve("var/lib/dbus/machine-id")).doesNotExist();
        assertThat(root.resolve("etc/resolv.conf")).isEmptyFile();
        assertThat(root.resolve("etc/ssh/ssh_host_rsa_key")).doesNotExist();
        assertThat(root.resolve("etc/ssh/ssh_host_rsa_key.pub")).doesNotExist();
        assertThat(root.resolve("etc/ssh/sshd_config")).exists();
        assertThat(Files.isSymbolicLink(root.resolve("var/lock"))).isTrue();
        assertThat(Files.isSymbolicLink(root.resolve("etc/localtime"))).isTrue();
        assertThat(Path.of("/usr/share/zoneinfo/Nowhere")).doesNotExist();
        assertThat(root.resolve("var/lib/stateless/writable")).isDirectory();
        assertThat(root.resolve("var/lib/stateless/state")).isDirectory();
        assertThat(root.resolve("var/lib/gssproxy")).isDirectory();
        assertThat(root.resolve("var/lib/postfix/master.lock")).isEmptyFile();
        assertThat(root.resolve("var/log")).isDirectory();
        assertThat(log).contains("unit systemd-readahead-collect.service not in the image");
    }

    @Test
    void dbusMachineIdSymlinkIsKept() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("var/lib/dbus"));
        Files.createSymbolicLink(root.resolve("var/lib/dbus/machine-id"), Path.of("/etc/machine-id"));

        apply(root, "debian12");

        assertThat(Files.isSymbolicLink(root.resolve("var/lib/dbus/machine-id"))).isTrue();
        assertThat(root.resolve("etc/resolv.conf")).isEmptyFile();
        assertThat(root.resolve("var/lib/dhcp")).isDirectory();
        assertThat(Files.isRegularFile(root.resolve("etc/localtime"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void debianEpochIsBaseFilesChangelogDateAndShadowDatesFollowIt() throws Exception {
        Path root = dpkgRoot();
        // Two accounts made on the build's day (20788 = 2026-12-01), one with an older date kept as it is.
        write(root, "etc/shadow", "root:*:20788:0:99999:7:::\n_apt:*:20788:0:99999:7:::\nold:!:19000::::::\n");
        write(root, "etc/shadow-", "root:*:20788:0:99999:7:::\n");

        String log = apply(root, "debian12", null);

        long epoch = 1783019100L; // Thu, 02 Jul 2026 19:05:00 UTC
        assertThat(Files.readString(tmp.resolve("out/source-date-epoch")))
                .isEqualTo(epoch + "\tpackage base-files 12.4+deb12u13\n");
        assertThat(log).contains("SOURCE_DATE_EPOCH=" + epoch + " (2026-07-02 19:05:00 UTC, package base-files");
        long day = epoch / 86400;
        assertThat(root.resolve("etc/shadow"))
                .hasContent("root:*:" + day + ":0:99999:7:::\n_apt:*:" + day + ":0:99999:7:::\nold:!:19000::::::");
        assertThat(root.resolve("etc/shadow-")).hasContent("root:*:" + day + ":0:99999:7:::");
    }

    @Test
    void newestPackageTakesTheNewestInstalledChangelog() throws Exception {
        Path root = dpkgRoot();
        Path spec = tmp.resolve("newest.yaml");
        Files.writeString(spec, Files.readString(Path.of("examples/debian12.yaml"))
                .replace("sourceDateEpoch: distribution-release", "sourceDateEpoch: newest-package"));

        ProcessResult r = run(root, spec, null);

        assertThat(r.code()).as(r.output()).isZero();
        assertThat(Files.readString(tmp.resolve("out/source-date-epoch")))
                .isEqualTo("1785571200\tpackage dpkg 1.21.23\n");
    }

    @Test
    void anEpochGivenByTheBuildWinsAndStalePycWithoutPythonGo() throws Exception {
        Path root = tmp.resolve("root");
        write(root, "usr/lib/python3/dist-packages/m/new.py", "x = 1\n");
        write(root, "usr/lib/python3/dist-packages/m/__pycache__/new.cpython-311.pyc", "stale");
        write(root, "usr/lib/python3/dist-packages/m/old.py", "y = 2\n");
        write(root, "usr/lib/python3/dist-packages/m/__pycache__/old.cpython-311.pyc", "fresh");
        Files.setLastModifiedTime(root.resolve("usr/lib/python3/dist-packages/m/old.py"),
                java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
        // A build day before the given date: nothing to clamp.
        write(root, "etc/shadow", "root:*:18000:0:99999:7:::\n");

        String log = apply(root, "debian12", "1700000000");

        assertThat(Files.readString(tmp.resolve("out/source-date-epoch"))).isEqualTo("1700000000\tgiven\n");
        // new.py (written now) is newer than the epoch, so clamping changes its mtime and its .pyc would be stale.
        assertThat(root.resolve("usr/lib/python3/dist-packages/m/__pycache__/new.cpython-311.pyc")).doesNotExist();
        assertThat(root.resolve("usr/lib/python3/dist-packages/m/__pycache__/old.cpython-311.pyc")).hasContent("fresh");
        assertThat(log).contains("1 Python modules newer than SOURCE_DATE_EPOCH and no python3 in the image");
        assertThat(root.resolve("etc/shadow")).hasContent("root:*:18000:0:99999:7:::");
    }

    @Test
    void noPackageDateAndNoGivenEpochIsAnError() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root);

        ProcessResult r = run(root, "debian12", null);

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.output()).contains("the installed packages record no build date for source-date-epoch deb-release:"
                + " set sourceDateEpoch in the spec");
    }

    /**
     * A root with dpkg's record of three packages installed and one removed, with changelogs: base-files (the
     * point release, 2026-07-02 19:05 UTC), dpkg updated after it (2026-08-01 08:00 UTC), a removed package's
     * newer changelog left behind, and an installed package without one.
     */
    private Path dpkgRoot() throws IOException {
        Path root = tmp.resolve("root");
        write(root, "var/lib/dpkg/status", """
                Package: base-files
                Status: install ok installed
                Version: 12.4+deb12u13

                Package: dpkg
                Status: install ok installed
                Version: 1.21.23

                Package: gone
                Status: deinstall ok config-files
                Version: 1.0

                Package: nodoc
                Status: install ok installed
                Version: 2
                """);
        changelog(root, "base-files/changelog.gz", "Thu, 02 Jul 2026 19:05:00 +0000");
        changelog(root, "dpkg/changelog.Debian.gz", "Sat, 01 Aug 2026 10:00:00 +0200");
        // Removed packages leave their changelog behind; only what is installed counts.
        changelog(root, "gone/changelog.Debian.gz", "Fri, 01 Jan 2027 00:00:00 +0000");
        return root;
    }

    private static void changelog(Path root, String path, String date) throws IOException {
        Path f = root.resolve("usr/share/doc").resolve(path);
        Files.createDirectories(f.getParent());
        String text = "pkg (1) unstable; urgency=medium\n\n  * Change.\n\n -- Some One <one@example.org>  " + date
                + "\n\npkg (0) unstable; urgency=medium\n\n  * First.\n\n -- Some One <one@example.org>  "
                + "Mon, 01 Jan 2001 00:00:00 +0000\n";
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private String apply(Path root, String example) throws IOException, InterruptedException {
        return apply(root, example, "1700000000");
    }

    private String apply(Path root, String example, String sourceDateEpoch) throws IOException, InterruptedException {
        ProcessResult r = run(root, example, sourceDateEpoch);
        assertThat(r.code()).as(r.output()).isZero();
        return r.output();
    }

    private record ProcessResult(int code, String output) {}

    private ProcessResult run(Path root, String example, String sourceDateEpoch) throws IOException, InterruptedException {
        return run(root, Path.of("examples", example + ".yaml"), sourceDateEpoch);
    }

    private ProcessResult run(Path root, Path spec, String sourceDateEpoch) throws IOException, InterruptedException {
        Path stage = tmp.resolve("stage");
        ReadOnlyConfig.of(SpecLoader.load(spec)).writeTo(stage);
        Path script = Path.of("stages/readonly-plan.sh").toAbsolutePath();
        Path log = tmp.resolve("log");
        ProcessBuilder pb = new ProcessBuilder("sh", "-euc", ". \"$1\"; apply_plan", "sh", script.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .directory(tmp.toFile());
        pb.environment().put("ROOT", root.toString());
        pb.environment().put("STAGE", stage.toString());
        pb.environment().put("OUT", tmp.resolve("out").toString());
        pb.environment().remove("SOURCE_DATE_EPOCH");
        if (sourceDateEpoch != null) {
            pb.environment().put("SOURCE_DATE_EPOCH", sourceDateEpoch);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("apply_plan finished").isTrue();
        return new ProcessResult(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static void write(Path root, String path, String content) throws IOException {
        Path f = root.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }
}

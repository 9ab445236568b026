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
 * removes, keeps and creates what it means to. Units (enablement links removed, masks made) are in
 * {@code build.ApplyServiceTest}, which runs the whole stage.
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

    private String apply(Path root, String example) throws IOException, InterruptedException {
        Path stage = tmp.resolve("stage");
        ReadOnlyConfig.of(SpecLoader.load(Path.of("examples", example + ".yaml"))).writeTo(stage);
        Path stages = Path.of("stages").toAbsolutePath();
        Path log = tmp.resolve("log");
        ProcessBuilder pb = new ProcessBuilder("sh", "-euc", ". \"$1/mounts.sh\"; . \"$1/readonly-plan.sh\"; apply_plan",
                "sh", stages.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .directory(tmp.toFile());
        pb.environment().put("ROOT", root.toString());
        pb.environment().put("STAGE", stage.toString());
        pb.environment().put("OUT", Files.createDirectories(tmp.resolve("out")).toString());
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("apply_plan finished").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    private static void write(Path root, String path, String content) throws IOException {
        Path f = root.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }
}

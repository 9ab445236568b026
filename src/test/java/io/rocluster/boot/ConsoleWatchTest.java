package io.rocluster.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleWatchTest {

    /** Lines of a real PXE boot of a debian12 image on this machine (escapes and CRs as QEMU wrote them). */
    private static String passingConsole() throws IOException {
        try (InputStream in = ConsoleWatchTest.class.getResourceAsStream("console-pxe-pass.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void followsARealPxeBootToTheReportAndKeepsTheLinesThatProveEachStep() throws IOException {
        ConsoleWatch watch = new ConsoleWatch();
        passingConsole().lines().forEach(watch::accept);

        assertThat(watch.stage()).isEqualTo(BootStage.REPORTED);
        assertThat(watch.fatal()).isEmpty();
        assertThat(watch.evidence()).anyMatch(l -> l.startsWith("SeaBIOS"))
                .anyMatch(l -> l.equals("Next server: 10.0.2.2"))
                .anyMatch(l -> l.startsWith("PXELINUX 6.04"))
                .anyMatch(l -> l.equals("Loading images/hand1/vmlinuz... ok"))
                .anyMatch(l -> l.contains("Command line: BOOT_IMAGE=images/hand1/vmlinuz root=nfs4:10.0.2.2:"))
                .anyMatch(l -> l.contains("Reached target") && l.contains("Initrd Root File System"))
                .anyMatch(l -> l.contains("rocluster-readonly: statetab: 1 paths kept"))
                .anyMatch(l -> l.contains("Reached target multi-user.target - Multi-User System."));
        assertThat(watch.evidence()).noneMatch(l -> l.contains("\u001B") || l.contains("\r"));
        assertThat(watch.evidence()).first().isEqualTo("SeaBIOS (version 1.16.2-debian-1.16.2-1)");

        BootCheckReport r = watch.report().orElseThrow();
        assertThat(r.token()).isEqualTo("tok123");
        assertThat(r.hostname()).isEqualTo("node1.cluster.test");
        assertThat(r.root()).isEqualTo(new BootCheckReport.Root("10.0.2.2:/data/cluster/images/hand1/root", "nfs4",
                "ro,relatime", true, true));
        assertThat(r.rwtab()).extracting(BootCheckReport.RwPath::path).contains("/var/lib/systemd", "/var/tmp");
        assertThat(r.statetab()).containsExactly(new BootCheckReport.StatePath("/var/log", true, "/var/log/rocluster-bootcheck", "", ""));
    }

    @Test
    void cleaningRemovesTerminalResetsColoursAndCursorMovesButNotText() {
        assertThat(ConsoleWatch.clean("\u001BcSeaBIOS (version 1.16.2)")).isEqualTo("SeaBIOS (version 1.16.2)");
        assertThat(ConsoleWatch.clean("Probing EDD... ok\u001Bc\u001B[?7l\u001B[2J[    0.0] Linux version 6.1"))
                .isEqualTo("Probing EDD... ok[    0.0] Linux version 6.1");
        assertThat(ConsoleWatch.clean("[\u001B[0;32m  OK  \u001B[0m] Reached target \u001B[0;1;39mmulti-user.target\u001B[0m\r"))
                .isEqualTo("[  OK  ] Reached target multi-user.target");
    }

    @Test
    void theInitramfsWelcomeIsNotTheRealRoot() {
        ConsoleWatch watch = new ConsoleWatch();
        watch.accept("[    0.000000] Linux version 6.1.0-50-amd64 (debian-kernel@lists.debian.org)");
        watch.accept("Welcome to \u001B[1mDebian GNU/Linux 12 (bookworm) dracut-059-4 (Initramfs)\u001B[0m!\r");
        assertThat(watch.stage()).isEqualTo(BootStage.INITRAMFS);
        watch.accept("Welcome to \u001B[1mDebian GNU/Linux 12 (bookworm)\u001B[0m!\r");
        assertThat(watch.stage()).isEqualTo(BootStage.INITRAMFS);
        watch.accept("[\u001B[0;32m  OK  \u001B[0m] Reached target initrd-root\u2026get - Initrd Root File System.");
        watch.accept("Welcome to \u001B[1mDebian GNU/Linux 12 (bookworm)\u001B[0m!\r");
        assertThat(watch.stage()).isEqualTo(BootStage.SYSTEM);
    }

    @Test
    void anOlderDracutThatCannotHandleTheNfsRootEndsTheBootWithTheFatalLine() {
        ConsoleWatch watch = new ConsoleWatch();
        watch.accept("[    0.000000] Linux version 6.1.0-50-amd64");
        watch.accept("[    3.9] dracut-cmdline[200]: dracut-059-4 (Initramfs)");
        watch.accept("[    4.0] dracut: FATAL: Don't know how to handle 'root=nfs4:10.0.2.2:/data/cluster/images/v/root'");
        watch.accept("[    4.1] dracut: Refusing to continue");
        assertThat(watch.fatal()).isEmpty();
        watch.accept("Generating \"/run/initramfs/rdsosreport.txt\"");
        watch.accept("Entering emergency mode. Exit the shell to continue.");

        assertThat(watch.fatal()).contains("emergency shell in the initramfs");
        assertThat(watch.likelyCause()).hasValueSatisfying(l -> assertThat(l).contains("FATAL: Don't know how to handle"));
        assertThat(watch.stage()).isEqualTo(BootStage.INITRAMFS);
    }

    @Test
    void aKernelPanicAndAMissingKernelAreFatal() {
        ConsoleWatch panic = new ConsoleWatch();
        panic.accept("[    3.6] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)");
        assertThat(panic.fatal()).hasValueSatisfying(f -> assertThat(f).startsWith("kernel panic: Kernel panic - not syncing"));

        ConsoleWatch pxe = new ConsoleWatch();
        pxe.accept("PXELINUX 6.04 PXE 20200816 Copyright (C) 1994-2015 H. Peter Anvin et al");
        pxe.accept("Loading images/v/vmlinuz...failed: No such file or directory");
        pxe.accept("boot: ");
        assertThat(pxe.fatal()).hasValueSatisfying(f -> assertThat(f).startsWith("pxelinux could not load the kernel"));
        assertThat(pxe.stage()).isEqualTo(BootStage.PXELINUX);
    }

    @Test
    void aGarbledReportIsSaidSoAndNotTakenForAReport() {
        ConsoleWatch watch = new ConsoleWatch();
        watch.accept("ROCLUSTER-BOOTCHECK {\"token\":\"x\",\"multiUser\":tr");
        assertThat(watch.report()).isEmpty();
        assertThat(watch.garbledReport()).hasValueSatisfying(g -> assertThat(g).startsWith("garbled boot-check report"));
    }
}

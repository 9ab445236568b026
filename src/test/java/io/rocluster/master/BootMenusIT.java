package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.archive.FileTrees;
import io.rocluster.serving.PxeLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live boot configs of a master, as firmware fetches them: QEMU's iPXE ROM and pxelinux boot a real
 * artefact's kernel over TFTP straight from the master's tftpboot (through the entry symlinks into
 * configs/current), and the kernel starts with the command line of the promoted version; after a
 * rollback, the next boot gets the previous version. The boot test (boot-test) goes on to the NFS root
 * from a private TFTP tree; this test stops at the kernel's command line. UEFI: OVMF firmware boots the
 * GRUB2 network image master init built (grub-efi-amd64-bin), which reads the rendered grub.cfg; GRUB's
 * own grub-script-check also parses every rendered grub.cfg (grub-common). Packages: qemu-system-x86,
 * ipxe-qemu, pxelinux, syslinux-common, ovmf, grub-efi-amd64-bin, grub-common.
 */
class BootMenusIT {

    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() throws Exception {
        FileTrees.delete(tmp);
        Files.createDirectory(tmp);
    }

    private static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    private static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");

    /** Boots by PXE with {@code bootFile} from the master's tftpboot; returns the kernel command line. */
    private static String kernelCommandLine(MasterLayout layout, String bootFile, Path serial, boolean uefi)
            throws Exception {
        return kernelCommandLine(layout, bootFile, serial, uefi, null);
    }

    /** The same with the NIC's MAC set (a client's own menu is chosen by it). */
    private static String kernelCommandLine(MasterLayout layout, String bootFile, Path serial, boolean uefi, String mac)
            throws Exception {
        String macOption = mac == null ? "" : ",mac=" + mac;
        List<String> cmd = new java.util.ArrayList<>(List.of("qemu-system-x86_64", "-machine", uefi ? "q35" : "pc",
                "-accel", "tcg", "-m", "1536", "-display", "none", "-serial", "file:" + serial, "-no-reboot",
                "-boot", "n", "-netdev", "user,id=n0,tftp=" + layout.tftpboot() + ",bootfile=" + bootFile));
        if (uefi) {
            Path vars = Files.copy(OVMF_VARS, serial.resolveSibling("ovmf-vars.fd"));
            // OVMF has its own virtio-net driver: no iPXE option ROM, so the firmware's PXE is what boots.
            cmd.addAll(List.of("-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
                    "-drive", "if=pflash,format=raw,file=" + vars, "-device", "virtio-net-pci,netdev=n0,romfile=" + macOption));
        } else {
            cmd.addAll(List.of("-device", "virtio-net-pci,netdev=n0" + macOption));
        }
        Process q = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(serial.resolveSibling(serial.getFileName() + ".qemu").toFile()).start();
        try {
            for (int i = 0; i < 600 && q.isAlive(); i++) {
                if (Files.exists(serial)) {
                    for (String line : Files.readAllLines(serial, StandardCharsets.ISO_8859_1)) {
                        int at = line.indexOf("Command line: ");
                        if (at >= 0) {
                            return line.substring(at + "Command line: ".length()).strip();
                        }
                    }
                }
                Thread.sleep(500);
            }
            throw new AssertionError("no kernel command line on the serial console within 5 minutes (" + bootFile + ")");
        } finally {
            q.destroy();
            if (!q.waitFor(10, TimeUnit.SECONDS)) {
                q.destroyForcibly();
            }
        }
    }

    @Test
    void grubParsesTheRenderedConfig() throws Exception {
        assertThat(Path.of("/usr/bin/grub-script-check")).as("grub-script-check (apt-get install grub-common)").exists();
        MasterFixture f = new MasterFixture(tmp);
        Path grub = f.layout.tftpboot().resolve("grub/grub.cfg");
        check(grub);
        f.deployed("2026.01.01.1");
        f.deployed("2026.01.02.1");
        f.promote().promote("2026.01.01.1", false, null);
        f.promote().promote("2026.01.02.1", false, null);
        assertThat(Files.readString(grub)).contains("menuentry 'rocluster 2026.01.02.1 (default)'",
                "menuentry 'rocluster 2026.01.01.1 (previous)'");
        check(grub);
        // The check is real: a broken file fails it.
        Path broken = Files.writeString(tmp.resolve("broken.cfg"), Files.readString(grub).replace("}\n", "\n"));
        Process p = new ProcessBuilder("grub-script-check", broken.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isNotZero();
    }

    private static void check(Path grubCfg) throws Exception {
        Process p = new ProcessBuilder("grub-script-check", grubCfg.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void ipxePxelinuxAndUefiGrubBootThePromotedVersionFromTheLiveTree() throws Exception {
        Path work = RealArtefacts.WORK;
        MasterLayout layout = masterWithBothVersions();
        String m = layout.root().toString();
        CliProcess.run(work, "promote", "--master", m, RealArtefacts.A).requireOk();
        CliProcess.run(work, "promote", "--master", m, RealArtefacts.B).requireOk();

        String ipxe = kernelCommandLine(layout, "boot.ipxe", tmp.resolve("ipxe.serial"), false);
        assertThat(ipxe).startsWith("initrd=initramfs.img root=nfs4:10.0.2.2:/data/cluster/images/" + RealArtefacts.B
                + "/root ro ip=dhcp rd.neednet=1");

        CliProcess.run(work, "rollback", "--master", m).requireOk();
        String pxelinux = kernelCommandLine(layout, "pxelinux.0", tmp.resolve("pxelinux.serial"), false);
        assertThat(pxelinux).startsWith("BOOT_IMAGE=images/" + RealArtefacts.A + "/vmlinuz root=nfs4:10.0.2.2:"
                + "/data/cluster/images/" + RealArtefacts.A + "/root ro ip=dhcp rd.neednet=1")
                .contains("initrd=images/" + RealArtefacts.A + "/initramfs.img");
        assertThat(layout.tftpboot().resolve(PxeLoader.GRUB_NET_IMAGE)).as("built by master init").exists();
        assertThat(OVMF_CODE).as("UEFI firmware (apt-get install ovmf)").exists();
        CliProcess.run(work, "rollback", "--master", m).requireOk();
        String grub = kernelCommandLine(layout, PxeLoader.GRUB_NET_IMAGE, tmp.resolve("grub.serial"), true);
        assertThat(grub).startsWith("BOOT_IMAGE=/images/" + RealArtefacts.B + "/vmlinuz root=nfs4:10.0.2.2:"
                + "/data/cluster/images/" + RealArtefacts.B + "/root ro ip=dhcp rd.neednet=1");
        System.out.println("iPXE booted: " + ipxe);
        System.out.println("pxelinux booted after rollback: " + pxelinux);
        System.out.println("UEFI GRUB booted after a second rollback: " + grub);
    }

    /** A master in tmp/master with both real artefacts deployed, none promoted yet. */
    private MasterLayout masterWithBothVersions() throws Exception {
        Path work = RealArtefacts.WORK;
        MasterLayout layout = new MasterLayout(tmp.resolve("master"));
        String m = layout.root().toString();
        CliProcess.run(work, "master", "init", "--master", m, "--server", "10.0.2.2", "--clients", "10.0.2.0/24").requireOk();
        for (String v : List.of(RealArtefacts.A, RealArtefacts.B)) {
            CliProcess.run(work, "deploy", "--master", m, RealArtefacts.get(v).toString()).requireOk();
        }
        return layout;
    }

    /**
     * A canary client's own menu, found by the loaders themselves from its MAC: iPXE through the chain at the
     * top of boot.ipxe, UEFI GRUB through its grub.cfg-01-MAC lookup; a client with another MAC gets the
     * default group's version from the same tree. (pxelinux's 01-MAC lookup is booted in NodeGroupsIT.)
     */
    @Test
    void ipxeAndUefiGrubFindTheCanaryClientsOwnMenuByMac() throws Exception {
        Path work = RealArtefacts.WORK;
        MasterLayout layout = masterWithBothVersions();
        String m = layout.root().toString();
        CliProcess.run(work, "clients", "add", "--master", m, "node07.example", "--mac", "52:54:00:00:00:07", "--group",
                "canary").requireOk();
        CliProcess.run(work, "promote", "--master", m, RealArtefacts.A).requireOk();
        CliProcess.run(work, "promote", "--master", m, RealArtefacts.B, "--group", "canary").requireOk();
        String root = "/data/cluster/images/";

        String ipxe = kernelCommandLine(layout, "boot.ipxe", tmp.resolve("ipxe.serial"), false, "52:54:00:00:00:07");
        assertThat(ipxe).contains("root=nfs4:10.0.2.2:" + root + RealArtefacts.B + "/root ro");
        String ipxeOther = kernelCommandLine(layout, "boot.ipxe", tmp.resolve("ipxe-other.serial"), false, "52:54:00:00:00:08");
        assertThat(ipxeOther).contains("root=nfs4:10.0.2.2:" + root + RealArtefacts.A + "/root ro");
        String grub = kernelCommandLine(layout, PxeLoader.GRUB_NET_IMAGE, tmp.resolve("grub.serial"), true, "52:54:00:00:00:07");
        assertThat(grub).contains("root=nfs4:10.0.2.2:" + root + RealArtefacts.B + "/root ro");
        System.out.println("iPXE as the canary client (52:54:00:00:00:07) booted: " + ipxe);
        System.out.println("iPXE as another client (52:54:00:00:00:08) booted: " + ipxeOther);
        System.out.println("UEFI GRUB as the canary client booted: " + grub);
    }
}

package io.rocluster.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class QemuMachineTest {

    private static final GuestNetwork NET = GuestNetwork.around("10.0.2.2");

    @Test
    void pxeBootsFromTheNicWithTheTftpRootAndTheClientsHostName() {
        List<String> cmd = QemuMachine.command(Path.of("/usr/bin/qemu-system-x86_64"), new QemuMachine.Options(
                BootMode.PXE, "tcg", NET, "node1.cluster.test", Path.of("/tmp/t/tftp"), "pxelinux.0",
                Path.of("/k"), Path.of("/i"), "ignored", 1536, 2, null));
        assertThat(String.join(" ", cmd)).contains(
                "-accel tcg", "-serial stdio", "-no-reboot", "-machine pc,graphics=off",
                "-netdev user,id=net0,net=10.0.2.0/24,host=10.0.2.2,dhcpstart=10.0.2.15,dns=10.0.2.3,"
                        + "hostname=node1.cluster.test,tftp=/tmp/t/tftp,bootfile=pxelinux.0",
                "-device virtio-net-pci,netdev=net0", "-boot n");
        assertThat(cmd).doesNotContain("-kernel", "-append");
        assertThat(cmd).containsSubsequence("-cpu", "qemu64,-svm,-vmx");
        assertThat(String.join(" ", cmd)).as("no disk unless diskful").doesNotContain("-drive", "virtio-blk");
    }

    @Test
    void aDiskfulGuestGetsItsDiskAsAVirtioDiskAndStillBootsFromTheNetwork() {
        List<String> cmd = QemuMachine.command(Path.of("/usr/bin/qemu-system-x86_64"), new QemuMachine.Options(
                BootMode.PXE, "tcg", NET, "node1.cluster.test", Path.of("/tmp/t/tftp"), "pxelinux.0",
                Path.of("/k"), Path.of("/i"), "ignored", 1536, 2, Path.of("/tmp/w/disk.img")));
        assertThat(cmd).containsSubsequence("-drive", "file=/tmp/w/disk.img,format=raw,if=none,id=disk0,cache=writeback",
                "-device", "virtio-blk-pci,drive=disk0");
        assertThat(cmd).containsSubsequence("-boot", "n");
    }

    @Test
    void directKernelHandsKernelInitrdAndCommandLineToQemuAndServesNoTftp() {
        List<String> cmd = QemuMachine.command(Path.of("/usr/bin/qemu-system-x86_64"), new QemuMachine.Options(
                BootMode.DIRECT_KERNEL, "kvm", NET, "n.example", null, "pxelinux.0",
                Path.of("/m/vmlinuz"), Path.of("/m/initramfs.img"), "root=nfs4:10.0.2.2:/r ro", 1024, 1, null));
        assertThat(cmd).containsSubsequence("-kernel", "/m/vmlinuz", "-initrd", "/m/initramfs.img",
                "-append", "root=nfs4:10.0.2.2:/r ro");
        assertThat(String.join(" ", cmd)).doesNotContain("tftp=", "-boot n");
        assertThat(cmd).as("KVM keeps QEMU's default CPU").doesNotContain("-cpu");
    }
}

package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactStore;
import io.rocluster.artefact.TestArtefacts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rocluster inspect} through the real command line, on small real artefacts. */
class InspectCommandTest {

    @TempDir
    Path tmp;

    private static final String KVER = "6.1.0-test-amd64";

    @Test
    void anIntactArtefactWithAnNfsCapableInitramfsPassesAndFileCapabilitiesAreWarnedAbout() throws Exception {
        Path initramfs = TestArtefacts.initramfs(tmp.resolve("ok"), KVER, "base\nnetwork\nnfs\n", true,
                "kernel/fs/nfs/nfs.ko");
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp.resolve("out")), "img", "1.0", initramfs);

        Cli.Run r = Cli.run("inspect", a.dir().toString(), "--deep");

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).as(r.err()).startsWith("img 1.0 (debian12), kernel 6.1.0-test-amd64\n"
                + "  kernel command line: console=ttyS0\n"
                + "  packages: 1, files: 3\n");
        assertThat(r.out()).contains("checksums: OK (rootfs tar digest included)\n",
                "initramfs can mount an NFS root: yes\n",
                "  ok   nfs.ko for kernel " + KVER + ": usr/lib/modules/" + KVER + "/kernel/fs/nfs/nfs.ko\n",
                "warning: 1 file(s) carry file capabilities, which an NFS client cannot see: etc/hostname");
        assertThat(r.out()).doesNotContain("FAIL");
    }

    @Test
    void anInitramfsThatCannotMountAnNfsRootFailsNamingEachMissingPiece() throws Exception {
        Path initramfs = TestArtefacts.initramfs(tmp.resolve("bad"), KVER, "base\n", false);
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp.resolve("out")), "img", "1.0", initramfs);

        Cli.Run r = Cli.run("inspect", a.dir().toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("checksums: OK\n", "initramfs can mount an NFS root: NO\n",
                "  FAIL dracut module nfs: ", "  FAIL nfs.ko for kernel " + KVER + ": ");
    }

    @Test
    void aDamagedArtefactNamesTheFile() throws Exception {
        Path initramfs = TestArtefacts.initramfs(tmp.resolve("ok"), KVER, "base\nnetwork\nnfs\n", true,
                "kernel/fs/nfs/nfs.ko");
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp.resolve("out")), "img", "1.0", initramfs);
        Files.writeString(a.vmlinuz(), "another kernel");

        Cli.Run r = Cli.run("inspect", a.dir().toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("checksums: FAILED\n  vmlinuz: checksum mismatch (damaged or modified)\n");
        assertThat(Cli.run("inspect", tmp.resolve("nowhere").toString()).err())
                .startsWith("rocluster: ").contains("no such artefact directory").hasLineCount(1);
    }
}

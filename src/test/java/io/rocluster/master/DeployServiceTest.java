package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import io.rocluster.archive.FileTrees;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.Sha256Sums;
import io.rocluster.artefact.TestArtefacts;
import io.rocluster.spec.ImageSpec;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deploy on real (small) artefacts: real writer, real extractor, real master directories. */
class DeployServiceTest {

    @TempDir
    Path tmp;

    MasterFixture m;
    Path store;

    @BeforeEach
    void setUp() throws Exception {
        m = new MasterFixture(tmp);
        store = tmp.resolve("output");
    }

    @org.junit.jupiter.api.AfterEach
    void cleanUp() throws Exception {
        // JUnit warns about every symlink to outside the temp dir (etc/localtime) it deletes; delete them first.
        FileTrees.delete(tmp);
        Files.createDirectory(tmp);
    }

    private DeployService deployer() {
        return new DeployService(m.layout, m.notices);
    }

    private static long inode(Path p) throws Exception {
        return ((Number) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    @Test
    void deploysAVersionCompleteAndFaithful() throws Exception {
        ArtefactDirectory a = TestArtefacts.artefact(store, "1.0", TestArtefacts.tree(tmp.resolve("t1"), Map.of()));
        List<String> phases = new ArrayList<>();
        DeployService.Result r = deployer().deploy(a.dir(), (phase, done, total) -> {
            if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase)) {
                phases.add(phase);
            }
        });
        assertThat(r.changed()).isTrue();
        assertThat(phases).containsExactly("checking", "unpacking", "installing boot files", "done");
        Path root = m.layout.imageRoot("1.0");
        assertThat(root.resolve("etc/os-release")).hasContent("ID=debian\nVERSION_ID=12\n");
        assertThat(Files.readSymbolicLink(root.resolve("etc/localtime"))).isEqualTo(Path.of("/usr/share/zoneinfo/Etc/UTC"));
        assertThat(Files.getAttribute(root.resolve("usr/bin/su"), "unix:mode")).isEqualTo(0104755);
        assertThat(inode(root.resolve("usr/bin/tool"))).isEqualTo(inode(root.resolve("usr/bin/tool-again")));
        assertThat(m.layout.image("1.0").resolve("boot/vmlinuz")).hasContent("kernel of 1.0");
        assertThat(inode(m.layout.tftpImage("1.0").resolve("initramfs.img")))
                .isEqualTo(inode(m.layout.image("1.0").resolve("boot/initramfs.img")));
        assertThat(m.layout.manifest("1.0")).hasSameBinaryContentAs(a.dir().resolve("manifest.json"));
        // Installed with the artefact's mode and mtime, as a copy keeping its attributes: the same on every master.
        for (String f : List.of("boot/vmlinuz", "boot/initramfs.img", "manifest.json", "SHA256SUMS")) {
            Path from = a.dir().resolve(f.replace("boot/", ""));
            Path to = m.layout.image("1.0").resolve(f);
            assertThat(Files.getLastModifiedTime(to)).as(f).isEqualTo(Files.getLastModifiedTime(from));
            assertThat(Files.getPosixFilePermissions(to)).as(f).isEqualTo(Files.getPosixFilePermissions(from));
        }
        DeployRecord d = DeployRecord.read(m.layout, "1.0");
        assertThat(d.rootfsDigest()).isEqualTo(a.manifest().rootfs().tarSha256());
        assertThat(d.kernelCmdline()).isEqualTo("console=ttyS0");
        assertThat(d.dedupBase()).isNull();
        assertThat(d.filesLinked()).isZero();
        try (var s = Files.list(m.layout.images())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("1.0");
        }
        VerifyService.Report v = new VerifyService(m.layout, m.notices).verify("1.0");
        assertThat(v.problems()).isEmpty();
        assertThat(v.entries()).isEqualTo(a.manifest().files().size());

        // Deployed means promotable: the menu boots it from this master.
        m.promote().promote("1.0", false, null);
        assertThat(m.pxelinux()).contains("APPEND root=nfs4:10.0.2.2:/data/cluster/images/1.0/root ro ip=dhcp "
                + "rd.neednet=1 console=ttyS0");
    }

    @Test
    void sameArtefactAgainIsANoOpAndAnotherOneUnderTheSameVersionIsRefused() throws Exception {
        Path t = TestArtefacts.tree(tmp.resolve("t1"), Map.of());
        ArtefactDirectory a = TestArtefacts.artefact(store, "1.0", t);
        deployer().deploy(a.dir(), null);
        String before = TreeHash.of(m.layout.root());
        assertThat(deployer().deploy(a.dir(), null).changed()).isFalse();
        assertThat(TreeHash.of(m.layout.root())).isEqualTo(before);

        Files.writeString(t.resolve("etc/os-release"), "ID=changed\n");
        ArtefactDirectory other = TestArtefacts.artefact(tmp.resolve("output2"), "1.0", t);
        assertThatThrownBy(() -> deployer().deploy(other.dir(), null)).isInstanceOf(RoclusterException.class)
                .hasMessageContaining("version 1.0 is already deployed from another artefact")
                .hasMessageContaining("build this one under a new version");
        assertThat(TreeHash.of(m.layout.root())).isEqualTo(before);
    }

    @Test
    void secondVersionSharesUnchangedFilesByHardlink() throws Exception {
        Path t = TestArtefacts.tree(tmp.resolve("t1"), Map.of());
        deployer().deploy(TestArtefacts.artefact(store, "1.0", t).dir(), null);
        // Version 2: one file changed in content, one only in mode, one new; the rest unchanged.
        Files.writeString(t.resolve("usr/share/doc/file1.txt"), "changed content\n");
        Files.setPosixFilePermissions(t.resolve("usr/share/doc/file2.txt"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.writeString(t.resolve("usr/share/doc/new.txt"), "new\n");
        // Same content and metadata as file3.txt under another name: shared too (content-addressed).
        Files.copy(t.resolve("usr/share/doc/file3.txt"), t.resolve("usr/share/doc/moved.txt"),
                java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        DeployService.Result r = deployer().deploy(TestArtefacts.artefact(store, "2.0", t).dir(), null);
        DeployRecord d = r.record();
        assertThat(d.dedupBase()).isEqualTo("1.0");
        Path v1 = m.layout.imageRoot("1.0");
        Path v2 = m.layout.imageRoot("2.0");
        assertThat(inode(v2.resolve("usr/share/doc/big.bin"))).isEqualTo(inode(v1.resolve("usr/share/doc/big.bin")));
        assertThat(inode(v2.resolve("usr/bin/ping"))).isEqualTo(inode(v1.resolve("usr/bin/ping")));
        assertThat(inode(v2.resolve("usr/share/doc/file1.txt"))).isNotEqualTo(inode(v1.resolve("usr/share/doc/file1.txt")));
        assertThat(inode(v2.resolve("usr/share/doc/file2.txt"))).isNotEqualTo(inode(v1.resolve("usr/share/doc/file2.txt")));
        // file3 and moved.txt are the same content and metadata: one shares file3's inode, the other is written,
        // so the new tree has no hardlink its manifest does not have.
        assertThat(inode(v2.resolve("usr/share/doc/moved.txt"))).isNotEqualTo(inode(v2.resolve("usr/share/doc/file3.txt")));
        // Regular files: tool/tool-again are one inode (a FILE + a HARDLINK entry); su, ping, os-release, shadow,
        // big.bin, 50 documents, new.txt, moved.txt.
        assertThat(d.filesWritten() + d.filesLinked()).isEqualTo(58);
        assertThat(d.filesWritten()).isEqualTo(4); // file1, file2, new.txt, one of file3/moved.txt
        assertThat(d.bytesLinked()).isGreaterThan(3 << 20);
        assertThat(new VerifyService(m.layout, m.notices).verify("1.0").problems()).isEmpty();
        assertThat(new VerifyService(m.layout, m.notices).verify("2.0").problems()).isEmpty();

        List<ListService.Entry> list = new ListService(m.layout, m.notices).list();
        ListService.Entry e2 = list.get(1);
        assertThat(e2.sharedBytes()).isGreaterThan(3 << 20);
        assertThat(e2.aloneBytes()).isLessThan(e2.sharedBytes());
    }

    /**
     * The base version's manifest is read on a thread of its own while the new artefact's is: when it is unreadable,
     * the deploy still succeeds, without sharing, and says why in one note (and says nothing when no base is used).
     */
    @Test
    void anUnreadableBaseManifestMeansNoSharingNotAFailedDeploy() throws Exception {
        Path t = TestArtefacts.tree(tmp.resolve("t1"), Map.of());
        ArtefactDirectory a1 = TestArtefacts.artefact(store, "1.0", t);
        deployer().deploy(a1.dir(), null);
        Files.writeString(m.layout.manifest("1.0"), "{ not json");
        assertThat(deployer().deploy(a1.dir(), null).changed()).isFalse(); // already deployed: no base is read
        assertThat(m.notices()).doesNotContain("without sharing");

        Files.writeString(t.resolve("usr/share/doc/file1.txt"), "changed content\n");
        DeployRecord d = deployer().deploy(TestArtefacts.artefact(store, "2.0", t).dir(), null).record();
        assertThat(d.dedupBase()).isNull();
        assertThat(d.filesLinked()).isZero();
        assertThat(inode(m.layout.imageRoot("2.0").resolve("usr/share/doc/big.bin")))
                .isNotEqualTo(inode(m.layout.imageRoot("1.0").resolve("usr/share/doc/big.bin")));
        assertThat(m.notices()).containsOnlyOnce("rocluster: note: deploying without sharing files with 1.0: "
                + m.layout.manifest("1.0") + ": not a valid manifest");
    }

    @Test
    void identicalCopiesInTheBaseAreEachSharedThroughTheirOwnPath() throws Exception {
        Path t = TestArtefacts.tree(tmp.resolve("t1"), Map.of());
        // Two files with the same content and metadata: two inodes in version 1.
        Files.copy(t.resolve("usr/share/doc/file3.txt"), t.resolve("usr/share/doc/copy.txt"),
                java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        deployer().deploy(TestArtefacts.artefact(store, "1.0", t).dir(), null);
        Files.writeString(t.resolve("usr/share/doc/file1.txt"), "changed content\n");
        DeployRecord d = deployer().deploy(TestArtefacts.artefact(store, "2.0", t).dir(), null).record();
        Path v1 = m.layout.imageRoot("1.0");
        Path v2 = m.layout.imageRoot("2.0");
        for (String f : List.of("usr/share/doc/file3.txt", "usr/share/doc/copy.txt")) {
            assertThat(inode(v2.resolve(f))).as(f).isEqualTo(inode(v1.resolve(f)));
        }
        assertThat(d.filesWritten()).isEqualTo(1);
    }

    @Test
    void anUnchangedKernelIsSharedWithTheBaseVersion() throws Exception {
        Path t = TestArtefacts.tree(tmp.resolve("t1"), Map.of());
        deployer().deploy(TestArtefacts.artefact(store, "1.0", t).dir(), null);
        ArtefactDirectory a2 = TestArtefacts.artefact(store, "2.0", t);
        // The kernel of 1.0 again, a new initramfs.
        Files.writeString(a2.vmlinuz(), "kernel of 1.0");
        List<String> names;
        try (var files = Files.list(a2.dir())) {
            names = files.map(f -> f.getFileName().toString()).filter(n -> !n.equals(Sha256Sums.FILE_NAME)).toList();
        }
        Files.writeString(a2.dir().resolve(Sha256Sums.FILE_NAME), Sha256Sums.of(a2.dir(), names).render());
        deployer().deploy(a2.dir(), null);
        Path b1 = m.layout.image("1.0").resolve("boot");
        Path b2 = m.layout.image("2.0").resolve("boot");
        assertThat(inode(b2.resolve("vmlinuz"))).isEqualTo(inode(b1.resolve("vmlinuz")));
        assertThat(inode(b2.resolve("initramfs.img"))).isNotEqualTo(inode(b1.resolve("initramfs.img")));
        assertThat(Files.readString(b2.resolve("initramfs.img"))).isEqualTo("initramfs of 2.0");
        assertThat(new VerifyService(m.layout, m.notices).verify("2.0").problems()).isEmpty();
    }

    @Test
    void aFlippedByteAnywhereIsRefusedWithTheMasterUnchanged() throws Exception {
        deployer().deploy(TestArtefacts.artefact(store, "1.0", TestArtefacts.tree(tmp.resolve("t1"), Map.of())).dir(), null);
        ArtefactDirectory a = TestArtefacts.artefact(store, "2.0", TestArtefacts.tree(tmp.resolve("t2"), Map.of("x", "y")));
        String before = TreeHash.of(m.layout.root());
        for (Path file : List.of(a.rootfs(), a.vmlinuz(), a.initramfs(), a.dir().resolve("manifest.json"))) {
            long size = Files.size(file);
            flip(file, size / 2);
            assertThatThrownBy(() -> deployer().deploy(a.dir(), null)).isInstanceOf(RoclusterException.class)
                    .hasMessageContaining(file.getFileName().toString());
            assertThat(TreeHash.of(m.layout.root())).as("after a flipped byte in " + file).isEqualTo(before);
            flip(file, size / 2);
        }
        assertThat(deployer().deploy(a.dir(), null).changed()).isTrue();
    }

    @Test
    void incompleteOrForeignArtefactsAreRefused() throws Exception {
        ArtefactDirectory a = TestArtefacts.artefact(store, "1.0", TestArtefacts.tree(tmp.resolve("t1"), Map.of()));
        String before = TreeHash.of(m.layout.root());
        Path moved = tmp.resolve("initramfs.moved");
        Files.move(a.initramfs(), moved);
        assertThatThrownBy(() -> deployer().deploy(a.dir(), null)).hasMessageContaining("initramfs.img")
                .hasMessageContaining("missing");
        Files.move(moved, a.initramfs());
        Files.writeString(a.dir().resolve("stray.txt"), "not listed");
        assertThatThrownBy(() -> deployer().deploy(a.dir(), null)).hasMessageContaining("stray.txt: not listed");
        Files.delete(a.dir().resolve("stray.txt"));
        assertThatThrownBy(() -> deployer().deploy(tmp.resolve("nothing"), null)).hasMessageContaining("no such artefact");

        ImageSpec spec = TestArtefacts.exampleSpec();
        ImageSpec elsewhere = new ImageSpec(spec.name(), spec.profile(), spec.packages(), spec.readonly(), spec.rwtab(),
                spec.statetab(), spec.units(), spec.initramfs(),
                new ImageSpec.Nfs("192.168.7.1", "/srv/cluster", 4, spec.nfs().options()), spec.selinux(),
                spec.sshHostKeys(), spec.fileCapabilities(), spec.sourceDateEpoch());
        ArtefactDirectory foreign = TestArtefacts.artefact(tmp.resolve("output3"), "3.0",
                TestArtefacts.tree(tmp.resolve("t3"), Map.of()), elsewhere);
        assertThatThrownBy(() -> deployer().deploy(foreign.dir(), null))
                .hasMessageContaining("mounts its state from 192.168.7.1:/srv/cluster/state")
                .hasMessageContaining("this master is 10.0.2.2:/data/cluster");
        assertThat(TreeHash.of(m.layout.root())).isEqualTo(before);
    }

    @Test
    void aDiskfulImageBuiltForAnotherServerDeploysSinceItMountsNoStateFromTheMaster() throws Exception {
        // The diskful example names 192.168.100.1; this master is 10.0.2.2. Its state is on the client's disk and
        // its root comes from this master's boot menu.
        ImageSpec diskful = io.rocluster.spec.SpecLoader.load(Path.of("examples/debian12-diskful.yaml"));
        assertThat(diskful.nfs().server()).isEqualTo("192.168.100.1");
        ArtefactDirectory a = TestArtefacts.artefact(tmp.resolve("output4"), "4.0",
                TestArtefacts.tree(tmp.resolve("t4"), Map.of()), diskful);

        deployer().deploy(a.dir(), null);

        assertThat(m.layout.imageRoot("4.0").resolve("etc/os-release")).exists();
    }

    @Test
    void verifyNamesEveryDifference() throws Exception {
        deployer().deploy(TestArtefacts.artefact(store, "1.0", TestArtefacts.tree(tmp.resolve("t1"), Map.of())).dir(), null);
        Path root = m.layout.imageRoot("1.0");
        FileTime mtime = Files.getLastModifiedTime(root.resolve("usr/share/doc/file5.txt"));
        Files.writeString(root.resolve("usr/share/doc/file5.txt"), "tampered\n");
        Files.setLastModifiedTime(root.resolve("usr/share/doc/file5.txt"), mtime);
        Files.delete(root.resolve("usr/share/doc/file6.txt"));
        Files.writeString(root.resolve("etc/extra.conf"), "x");
        Files.writeString(root.resolve("proc/stray"), "x");
        TestArtefacts.run("chmod", "0600", root.resolve("usr/bin/tool").toString());
        TestArtefacts.run("setcap", "-r", root.resolve("usr/bin/ping").toString());
        Files.writeString(m.layout.tftpImage("1.0").resolve("vmlinuz"), "other kernel");

        VerifyService.Report r = new VerifyService(m.layout, m.notices).verify("1.0");
        assertThat(r.intact()).isFalse();
        assertThat(r.problems()).extracting(VerifyService.Problem::kind, VerifyService.Problem::path).contains(
                org.assertj.core.groups.Tuple.tuple(VerifyService.Kind.modified, "root/usr/share/doc/file5.txt"),
                org.assertj.core.groups.Tuple.tuple(VerifyService.Kind.missing, "root/usr/share/doc/file6.txt"),
                org.assertj.core.groups.Tuple.tuple(VerifyService.Kind.extra, "root/etc/extra.conf"),
                org.assertj.core.groups.Tuple.tuple(VerifyService.Kind.extra, "root/proc/stray"),
                org.assertj.core.groups.Tuple.tuple(VerifyService.Kind.metadata, "root/usr/bin/tool"),
                org.assertj.core.groups.Tuple.tuple(VerifyService.Kind.metadata, "root/usr/bin/ping"),
                org.assertj.core.groups.Tuple.tuple(VerifyService.Kind.modified, "tftpboot/images/1.0/vmlinuz"));
        assertThat(r.problems()).filteredOn(p -> p.path().equals("root/usr/bin/tool")).first()
                .extracting(VerifyService.Problem::detail).asString().contains("mode 0755 expected, found 0600");
        assertThat(r.problems()).filteredOn(p -> p.path().equals("root/usr/bin/ping")).first()
                .extracting(VerifyService.Problem::detail).asString().contains("security.capability");
    }

    private static void flip(Path file, long offset) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x01);
        }
    }
}

package io.rocluster.artefact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import io.rocluster.archive.PackOptions;
import io.rocluster.archive.PackResult;
import io.rocluster.archive.RootfsPacker;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtefactDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void freshArtefactIsIntactIncludingTheTarDigest() throws Exception {
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp), "img", "1.0");

        assertThat(a.verify(true)).isEmpty();
        assertThat(a.manifest().version()).isEqualTo("1.0");
        assertThat(a.rootfs()).hasFileName("img-1.0.rootfs.tar.zst").exists();
    }

    @Test
    void oneFlippedByteIsNamed() throws Exception {
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp), "img", "1.0");
        flipLastByte(a.vmlinuz());

        assertThat(a.verify(false)).containsExactly("vmlinuz: checksum mismatch (damaged or modified)");
        assertThatThrownBy(() -> a.requireIntact(false))
                .isInstanceOf(RoclusterException.class)
                .hasMessageContaining("vmlinuz: checksum mismatch")
                .hasMessageNotContaining("\n");
    }

    @Test
    void filesHashedBeforeTheManifestIsReadAreTheOnesCompared() throws Exception {
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp), "img", "1.0");
        java.util.Map<String, String> hashed = ArtefactDirectory.hashFixedFiles(a.dir());

        assertThat(hashed).containsOnlyKeys("vmlinuz", "initramfs.img", "build.log");
        assertThat(hashed).containsEntry("vmlinuz", io.rocluster.artefact.Sha256Sums.sha256(a.vmlinuz()));
        assertThat(a.verify(false, java.util.Set.of(), hashed)).isEmpty();
        // A digest given is used instead of reading the file: what was hashed is what is judged.
        java.util.Map<String, String> stale = new java.util.HashMap<>(hashed);
        stale.put("vmlinuz", "0".repeat(64));
        assertThat(a.verify(false, java.util.Set.of(), stale))
                .containsExactly("vmlinuz: checksum mismatch (damaged or modified)");
    }

    @Test
    void whatIsJudgedIsWhatWasReadOnce() throws Exception {
        ArtefactDirectory written = TestArtefacts.small(new ArtefactStore(tmp), "img", "1.0");
        byte[] manifest = Files.readAllBytes(written.dir().resolve("manifest.json"));
        byte[] sums = Files.readAllBytes(written.dir().resolve("SHA256SUMS"));
        ArtefactDirectory a = ArtefactDirectory.open(written.dir());
        // Replaced after opening (a build host still writing, someone else's copy): the opened artefact is still
        // the one read, and verify judges that one (a deploy installs those bytes, not the files' new content).
        Files.writeString(a.dir().resolve("manifest.json"), "{}");
        Files.writeString(a.dir().resolve("SHA256SUMS"), "garbage\n");

        assertThat(a.manifestBytes()).isEqualTo(manifest);
        assertThat(a.sha256SumsBytes()).isEqualTo(sums);
        assertThat(a.sha256Sums().digests()).containsKey("vmlinuz");
        assertThat(a.verify(false)).isEmpty();
        assertThatThrownBy(() -> ArtefactDirectory.open(a.dir())).hasMessageContaining("manifest");
    }

    @Test
    void earlyHashingFollowsNoSymlink() throws Exception {
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp), "img", "1.0");
        Path outside = Files.writeString(tmp.resolve("outside"), "not the kernel");
        Files.delete(a.vmlinuz());
        Files.createSymbolicLink(a.vmlinuz(), outside);

        java.util.Map<String, String> hashed = ArtefactDirectory.hashFixedFiles(a.dir());

        assertThat(hashed).doesNotContainKey("vmlinuz");
        assertThat(a.verify(false, java.util.Set.of(), hashed))
                .contains("vmlinuz: not a regular file (an artefact holds only files)");
    }

    @Test
    void extraAndMissingFilesAreNamed() throws Exception {
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp), "img", "1.0");
        Files.writeString(a.dir().resolve("stray.txt"), "x");
        Files.delete(a.initramfs());

        assertThat(a.verify(false)).containsExactlyInAnyOrder(
                "stray.txt: not listed in SHA256SUMS",
                "initramfs.img: listed in SHA256SUMS but missing",
                "initramfs.img: missing");
    }

    @Test
    void tarballConsistentWithSumsButNotWithManifestIsCaughtByTheDeepCheck() throws Exception {
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp), "img", "1.0");
        // Replace the rootfs and re-sign everything consistently except the manifest's tar digest.
        Path other = Files.createDirectories(tmp.resolve("other/etc")).getParent();
        Files.writeString(other.resolve("etc/hostname"), "evil\n");
        PackResult packed = RootfsPacker.packDirectory(other, a.rootfs(), PackOptions.rootfs(OptionalLong.empty()), null);
        Manifest m = a.manifest();
        Manifest forged = new Manifest(m.formatVersion(), m.name(), m.version(), m.profile(), m.kernelVersion(),
                m.kernelCmdline(), m.packages(),
                new Manifest.Rootfs(m.rootfs().file(), m.rootfs().tarSha256(), m.rootfs().tarSize(),
                        packed.compressedSha256(), packed.compressedSize()),
                m.files(), m.stages(), m.builderImageId(), m.spec(), m.capabilityChanges(), m.roclusterVersion(),
                m.createdAt(), m.sourceDateEpoch(), m.inputDigest());
        Files.write(a.dir().resolve(ArtefactDirectory.MANIFEST), ManifestJson.toBytes(forged));
        Files.writeString(a.dir().resolve(Sha256Sums.FILE_NAME),
                Sha256Sums.of(a.dir(), java.util.List.of("manifest.json", "vmlinuz", "initramfs.img", "build.log",
                        m.rootfs().file())).render());
        ArtefactDirectory reopened = ArtefactDirectory.open(a.dir());

        assertThat(reopened.verify(false)).isEmpty();
        assertThat(reopened.verify(true)).containsExactly(
                "img-1.0.rootfs.tar.zst: uncompressed tar differs from the manifest's rootfs.tarSha256/tarSize");
    }

    @Test
    void openingSomethingElseSaysWhatIsExpected() throws Exception {
        assertThatThrownBy(() -> ArtefactDirectory.open(tmp.resolve("nope")))
                .isInstanceOf(RoclusterException.class).hasMessageContaining("no such artefact directory");
        assertThatThrownBy(() -> ArtefactDirectory.open(tmp))
                .isInstanceOf(RoclusterException.class).hasMessageContaining("no manifest");
        Files.writeString(tmp.resolve("manifest.json"), "{\"formatVersion\": 7}");
        assertThatThrownBy(() -> ArtefactDirectory.open(tmp))
                .isInstanceOf(RoclusterException.class).hasMessageContaining("manifest format 7 is not 1");
        Files.writeString(tmp.resolve("manifest.json"), "{not json");
        assertThatThrownBy(() -> ArtefactDirectory.open(tmp))
                .isInstanceOf(RoclusterException.class).hasMessageContaining("not a valid manifest");
    }

    private static void flipLastByte(Path p) throws Exception {
        byte[] b = Files.readAllBytes(p);
        b[b.length - 1] ^= 1;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(b));
        }
    }
}

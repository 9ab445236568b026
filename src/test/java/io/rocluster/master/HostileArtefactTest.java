package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import io.rocluster.archive.FileEntry;
import io.rocluster.archive.FileTrees;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.TestArtefacts;
import io.rocluster.artefact.Manifest;
import io.rocluster.artefact.ManifestJson;
import io.rocluster.artefact.Sha256Sums;
import io.rocluster.artefact.signature.ArtefactSigner;
import io.rocluster.artefact.signature.KeyFiles;
import io.rocluster.artefact.signature.MinisignSecretKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artefacts as a compromised build host would make them: every lie in the manifest is signed with a key the
 * master trusts, since a signature proves who built an artefact, not that its builder is honest. Each is
 * refused with one line, the master byte-identical afterwards, and no file outside the master gains a link.
 */
class HostileArtefactTest {

    @TempDir
    Path tmp;

    MasterFixture m;
    Path store;
    ArtefactSigner signer;

    @BeforeEach
    void setUp() throws Exception {
        m = new MasterFixture(tmp);
        store = tmp.resolve("output");
        KeyFiles.Generated key = KeyFiles.generate(tmp.resolve("nightly.key"), tmp.resolve("nightly.pub"), null);
        new TrustService(m.layout, m.notices).add(key.publicKey());
        signer = new ArtefactSigner(MinisignSecretKey.read(key.secretKey(), null));
    }

    @AfterEach
    void cleanUp() throws Exception {
        FileTrees.delete(tmp); // absolute symlinks (etc/localtime) make JUnit's own cleanup noisy
        Files.createDirectory(tmp);
    }

    private DeployService deployer() {
        return new DeployService(m.layout, m.notices);
    }

    /** A signed, honest artefact of the test tree (plus {@code extra} files). */
    private ArtefactDirectory honest(String version, Path tree) throws Exception {
        ArtefactDirectory a = TestArtefacts.artefact(store, version, tree);
        signer.sign(a.dir());
        return a;
    }

    /**
     * Rewrites an artefact's manifest through {@code edit}, makes SHA256SUMS again and signs it with the trusted
     * key, as a build host that lies would: everything checks out but the manifest's content.
     */
    private ArtefactDirectory forge(ArtefactDirectory a, UnaryOperator<Manifest> edit) throws Exception {
        Manifest forged = edit.apply(a.manifest());
        Files.write(a.dir().resolve(ArtefactDirectory.MANIFEST), ManifestJson.toBytes(forged));
        resign(a.dir(), forged);
        return a;
    }

    private void resign(Path dir, Manifest manifest) throws Exception {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(Sha256Sums.FILE_NAME) && !n.equals(ArtefactDirectory.SIGNATURE)).forEach(names::add);
        }
        byte[] sums = Sha256Sums.of(dir, names).render().getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(Sha256Sums.FILE_NAME), sums);
        Files.writeString(dir.resolve(ArtefactDirectory.SIGNATURE), signer.signature(manifest, sums));
    }

    private static Manifest withFiles(Manifest m, List<FileEntry> files) {
        return new Manifest(m.formatVersion(), m.name(), m.version(), m.profile(), m.kernelVersion(), m.kernelCmdline(),
                m.packages(), m.rootfs(), files, m.stages(), m.builderImageId(), m.spec(), m.capabilityChanges(),
                m.roclusterVersion(), m.createdAt(), m.sourceDateEpoch(), m.inputDigest());
    }

    private static Manifest withVersion(Manifest m, String version, Manifest.Rootfs rootfs) {
        return new Manifest(m.formatVersion(), m.name(), version, m.profile(), m.kernelVersion(), m.kernelCmdline(),
                m.packages(), rootfs, m.files(), m.stages(), m.builderImageId(), m.spec(), m.capabilityChanges(),
                m.roclusterVersion(), m.createdAt(), m.sourceDateEpoch(), m.inputDigest());
    }

    private static FileEntry withPath(FileEntry f, String path) {
        return new FileEntry(path, f.type(), f.mode(), f.uid(), f.gid(), f.size(), f.sha256(), f.linkTarget(),
                f.devMajor(), f.devMinor(), f.mtime(), f.xattrs());
    }

    private static FileEntry withSha(FileEntry f, String sha) {
        return new FileEntry(f.path(), f.type(), f.mode(), f.uid(), f.gid(), f.size(), sha, f.linkTarget(),
                f.devMajor(), f.devMinor(), f.mtime(), f.xattrs());
    }

    /** The index with {@code path}'s entry replaced by {@code change} of it (null: removed). */
    private static UnaryOperator<Manifest> entry(String path, UnaryOperator<FileEntry> change) {
        return man -> {
            List<FileEntry> files = new ArrayList<>();
            for (FileEntry f : man.files()) {
                FileEntry g = f.path().equals(path) ? change.apply(f) : f;
                if (g != null) {
                    files.add(g);
                }
            }
            return withFiles(man, files);
        };
    }

    private static FileEntry find(Manifest man, String path) {
        return man.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
    }

    /** Link counts of every regular file under tmp outside the master. */
    private Map<String, Object> linkCountsOutsideTheMaster() throws Exception {
        Map<String, Object> counts = new TreeMap<>();
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.filter(p -> !p.startsWith(m.layout.root()))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                counts.put(p.toString(), Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS));
            }
        }
        return counts;
    }

    /** Deploys {@code a}, expecting a one-line refusal containing {@code expected}; returns the line. */
    private String refused(ArtefactDirectory a, String expected) throws Exception {
        String before = TreeHash.of(m.layout.root());
        Map<String, Object> links = linkCountsOutsideTheMaster();
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> deployer().deploy(a.dir(), null));
        assertThat(t).isInstanceOf(RoclusterException.class).hasMessageContaining(expected);
        assertThat(t.getMessage()).as("one line").doesNotContain("\n");
        assertThat(TreeHash.of(m.layout.root())).as("the master after: " + t.getMessage()).isEqualTo(before);
        assertThat(linkCountsOutsideTheMaster()).as("link counts outside the master").isEqualTo(links);
        System.out.println("refused: rocluster: " + t.getMessage());
        return t.getMessage();
    }

    @Test
    void anIndexPathWithDotDot() throws Exception {
        ArtefactDirectory a = honest("1.0", TestArtefacts.tree(tmp.resolve("t"), Map.of()));
        forge(a, entry("usr/share/doc/file1.txt", f -> withPath(f, "usr/share/../../../../etc/file1.txt")));
        refused(a, "path 'usr/share/../../../../etc/file1.txt' contains '..'");
    }

    @Test
    void anAbsoluteIndexPath() throws Exception {
        ArtefactDirectory a = honest("1.0", TestArtefacts.tree(tmp.resolve("t"), Map.of()));
        forge(a, entry("etc/shadow", f -> withPath(f, "/etc/shadow")));
        refused(a, "path '/etc/shadow' is absolute");
    }

    @Test
    void anIndexEntryTheTarLacks() throws Exception {
        ArtefactDirectory a = honest("1.0", TestArtefacts.tree(tmp.resolve("t"), Map.of()));
        forge(a, man -> {
            List<FileEntry> files = new ArrayList<>(man.files());
            files.add(withPath(find(man, "usr/share/doc/file1.txt"), "usr/share/doc/ghost.txt"));
            return withFiles(man, files);
        });
        refused(a, "index entry 'usr/share/doc/ghost.txt' is not in the tar");
    }

    @Test
    void aTarEntryTheIndexLacks() throws Exception {
        ArtefactDirectory a = honest("1.0", TestArtefacts.tree(tmp.resolve("t"), Map.of()));
        forge(a, entry("usr/share/doc/file7.txt", f -> null));
        refused(a, "tar entry 'usr/share/doc/file7.txt' is not in the index");
    }

    @Test
    void anIndexDigestThatIsNotTheFilesForAFileWritten() throws Exception {
        ArtefactDirectory a = honest("1.0", TestArtefacts.tree(tmp.resolve("t"), Map.of()));
        forge(a, entry("etc/os-release", f -> withSha(f, "0".repeat(64))));
        refused(a, "the content of 'etc/os-release' does not have the index's sha256");
    }

    @Test
    void anIndexDigestThatIsNotTheFilesForAFileDedupWouldLink() throws Exception {
        Path t = TestArtefacts.tree(tmp.resolve("t"), Map.of());
        deployer().deploy(honest("1.0", t).dir(), null);
        String v1Sha = find(ArtefactDirectory.open(store.resolve("test/1.0")).manifest(), "usr/share/doc/file1.txt").sha256();
        // Same size, mode, owner and mtime as in 1.0, other bytes; the index claims 1.0's digest, so dedup would
        // link 1.0's file while the tar holds something else.
        Path f = t.resolve("usr/share/doc/file1.txt");
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(f);
        Files.writeString(f, Files.readString(f).toUpperCase());
        Files.setLastModifiedTime(f, mtime);
        ArtefactDirectory a = honest("2.0", t);
        forge(a, entry("usr/share/doc/file1.txt", e -> withSha(e, v1Sha)));
        refused(a, "the content of 'usr/share/doc/file1.txt' does not have the index's sha256");
    }

    @Test
    void aRootfsFileOutsideTheDirectory() throws Exception {
        ArtefactDirectory a = honest("1.0", TestArtefacts.tree(tmp.resolve("t"), Map.of()));
        Path outside = Files.copy(a.rootfs(), store.resolve("outside.tar.zst"));
        forge(a, man -> withVersion(man, man.version(), new Manifest.Rootfs("../" + outside.getFileName(),
                man.rootfs().tarSha256(), man.rootfs().tarSize(), man.rootfs().compressedSha256(),
                man.rootfs().compressedSize())));
        refused(a, "rootfs.file '../outside.tar.zst' is not a plain file name inside the artefact directory");
    }

    @Test
    void anArtefactFileThatIsASymlink() throws Exception {
        ArtefactDirectory a = honest("1.0", TestArtefacts.tree(tmp.resolve("t"), Map.of()));
        // Same bytes, so SHA256SUMS still matches: only the kind of file gives it away.
        Path outside = Files.copy(a.vmlinuz(), tmp.resolve("kernel-elsewhere"));
        Files.delete(a.vmlinuz());
        Files.createSymbolicLink(a.vmlinuz(), outside);
        resign(a.dir(), a.manifest());
        refused(a, "vmlinuz: not a regular file");
        assertThat(Files.getAttribute(outside, "unix:nlink")).isEqualTo(1);
    }

    @Test
    void aVersionThatIsAPath() throws Exception {
        ArtefactDirectory a = honest("1.0", TestArtefacts.tree(tmp.resolve("t"), Map.of()));
        forge(a, man -> withVersion(man, "../../../tmp/evil", man.rootfs()));
        refused(a, "version '../../../tmp/evil' is not a version");
    }

    @Test
    void aTarEntryWhoseMetadataTheIndexMisstates() throws Exception {
        ArtefactDirectory a = honest("1.0", TestArtefacts.tree(tmp.resolve("t"), Map.of()));
        forge(a, entry("usr/bin/su", f -> new FileEntry(f.path(), f.type(), 0755, f.uid(), f.gid(), f.size(), f.sha256(),
                f.linkTarget(), f.devMajor(), f.devMinor(), f.mtime(), f.xattrs())));
        refused(a, "'usr/bin/su' differs in mode (tar 4755, index 0755)");
    }

    @Test
    void dedupNeverLinksThroughASymlinkInTheBase() throws Exception {
        Path t = TestArtefacts.tree(tmp.resolve("t"), Map.of());
        deployer().deploy(honest("1.0", t).dir(), null);
        // The base on the master tampered with: its usr/share/doc now leads outside the master, to a file that
        // looks exactly like the one 2.0 wants.
        Path doc = m.layout.imageRoot("1.0").resolve("usr/share/doc");
        Path outside = tmp.resolve("outside-doc");
        Files.move(doc, outside);
        Files.createSymbolicLink(doc, outside);
        Files.writeString(t.resolve("usr/share/doc/file1.txt"), "changed\n");
        DeployRecord d = deployer().deploy(honest("2.0", t).dir(), null).record();
        assertThat(Files.getAttribute(outside.resolve("big.bin"), "unix:nlink")).isEqualTo(1);
        assertThat(Files.getAttribute(m.layout.imageRoot("2.0").resolve("usr/share/doc/big.bin"), "unix:nlink")).isEqualTo(1);
        assertThat(d.filesLinked()).as("files outside usr/share/doc are still shared").isGreaterThan(0);
        assertThat(new VerifyService(m.layout, m.notices).verify("2.0").problems()).isEmpty();
    }
}

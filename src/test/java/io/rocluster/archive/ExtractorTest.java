package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractorTest {

    @TempDir
    Path tmp;

    private Path packedEveryKind(String name) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        if (!Files.exists(src.resolve("etc"))) {
            Trees.everyKind(src);
        }
        Path tar = tmp.resolve(name);
        RootfsPacker.packDirectory(src, tar, PackOptions.rootfs(OptionalLong.empty()), null);
        return tar;
    }

    @Test
    void restoresEveryKindOfEntryFromEachCompression() throws Exception {
        for (String name : List.of("root.tar.zst", "root.tar.gz", "root.tar")) {
            Path tar = packedEveryKind(name);
            Path out = tmp.resolve("out-" + name);
            Extractor.Result r = Extractor.extract(tar, out, Extractor.Options.defaults());
            assertThat(TreeSnapshot.of(out, p -> false))
                    .isEqualTo(TreeSnapshot.of(tmp.resolve("src"), Trees::excludedContent));
            assertThat(r.tarSha256()).isEqualTo(Sh.run(tmp, "bsdtar -cf - @" + tar + " >/dev/null; "
                    + "(zstd -dcf " + tar + " 2>/dev/null || gzip -dc " + tar + ") | sha256sum").substring(0, 64));
        }
    }

    /**
     * Where libc's ABI is unknown the extractor makes the JDK's calls instead of openat and friends: both must restore
     * the same tree (owners, modes, setuid, capabilities, devices, hardlinks, mtimes) and refuse the same lie.
     */
    @Test
    void libcAndJdkCallsRestoreTheSameTreeAndRefuseTheSameLie() throws Exception {
        assertThat(ExtractTarget.AtCalls.AVAILABLE).as("openat and friends through libc on this machine").isTrue();
        Path tar = tmp.resolve("root.tar.zst");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Trees.everyKind(src);
        List<FileEntry> index = new ArrayList<>();
        RootfsPacker.packDirectory(src, tar, PackOptions.rootfs(OptionalLong.empty()), index::add);
        List<FileEntry> lying = index.stream().map(f -> f.path().equals("usr/bin/ping") ? new FileEntry(f.path(),
                f.type(), f.mode(), f.uid(), f.gid(), f.size(), "0".repeat(64), f.linkTarget(), f.devMajor(),
                f.devMinor(), f.mtime(), f.xattrs()) : f).toList();
        Map<String, String> expected = TreeSnapshot.of(src, Trees::excludedContent);
        for (boolean libc : new boolean[] {true, false}) {
            ExtractTarget.atCalls = libc;
            try {
                Path out = tmp.resolve("out-" + libc);
                Extractor.extract(tar, out, new Extractor.Options(null, null, true, new IndexCheck(index), false, null));
                assertThat(TreeSnapshot.of(out, p -> false)).as(libc ? "libc" : "JDK").isEqualTo(expected);
                Path refused = tmp.resolve("refused-" + libc);
                assertThatThrownBy(() -> Extractor.extract(tar, refused,
                        new Extractor.Options(null, null, true, new IndexCheck(lying), false, null)))
                        .isInstanceOf(RoclusterException.class)
                        .hasMessageContaining("the content of 'usr/bin/ping' does not have the index's sha256");
                assertThat(refused).doesNotExist();
                assertThat(siblingsOf(refused)).noneMatch(n -> n.startsWith(".refused"));
            } finally {
                ExtractTarget.atCalls = ExtractTarget.AtCalls.AVAILABLE;
            }
        }
    }

    /** A libc call that fails is one line (call, file, the system's reason) with no Java class name in it. */
    @Test
    void aFailedSystemCallReadsAsOneLine() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("target"));
        for (boolean libc : new boolean[] {true, false}) {
            ExtractTarget.atCalls = libc;
            try (ExtractTarget t = ExtractTarget.open(dir)) {
                TarEntry dirEntry = new TarEntry("missing/child", FileEntry.Type.DIRECTORY, 0755, 0, 0, 0, 0, null, 0, 0,
                        null);
                // openat-relative mkdir (libc) or the JDK's; then the path-based lchown both share.
                if (libc) {
                    assertThatThrownBy(() -> t.mkdir("missing/child")).isInstanceOf(SystemCallFailed.class)
                            .hasToString("mkdir " + dir.resolve("missing/child") + ": No such file or directory");
                }
                assertThatThrownBy(() -> t.metadata("missing/child", dirEntry))
                        .isInstanceOf(SystemCallFailed.class)
                        .hasToString("lchown " + dir.resolve("missing/child") + ": No such file or directory");
            } finally {
                ExtractTarget.atCalls = ExtractTarget.AtCalls.AVAILABLE;
            }
        }
    }

    @Test
    void restoresWhatGnuTarAndBsdtarWrote() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Trees.everyKind(src);
        Map<String, String> expected = TreeSnapshot.of(src, p -> false);
        // GNU tar: SCHILY.xattr records; bsdtar: LIBARCHIVE.xattr (base64) and SCHILY records side by side.
        Sh.run(src, "tar --format=posix --xattrs --xattrs-include='*' --numeric-owner -cf " + tmp.resolve("g.tar")
                + " . && bsdtar --format=pax --xattrs -cf " + tmp.resolve("b.tar.xz") + " --xz .");
        for (String name : List.of("g.tar", "b.tar.xz")) {
            Path out = tmp.resolve("out-" + name);
            Extractor.extract(tmp.resolve(name), out, Extractor.Options.defaults());
            assertThat(TreeSnapshot.of(out, p -> false)).as(name).isEqualTo(expected);
        }
    }

    @Test
    void extractsIntoAnExistingEmptyDirectoryButNotANonEmptyOne() throws Exception {
        Path tar = packedEveryKind("root.tar.zst");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Extractor.extract(tar, empty, Extractor.Options.defaults());
        assertThat(empty.resolve("usr/bin/ping")).exists();

        Path full = Files.createDirectory(tmp.resolve("full"));
        Files.writeString(full.resolve("keep"), "mine");
        assertThatThrownBy(() -> Extractor.extract(tar, full, Extractor.Options.defaults()))
                .isInstanceOf(RoclusterException.class)
                .hasMessage("cannot unpack into " + full
                        + ": it exists and is not an empty directory; choose a new directory or empty it");
        assertThat(TreeSnapshot.of(full, p -> false)).containsOnlyKeys("", "keep");
        assertThat(siblingsOf(full)).doesNotContain(".full");
    }

    @Test
    void reuseHookHardlinksEarlierFilesAndSkipsTheirData() throws Exception {
        Path tar = packedEveryKind("root.tar.zst");
        Path v1 = tmp.resolve("v1");
        Extractor.extract(tar, v1, Extractor.Options.defaults());
        List<String> asked = new ArrayList<>();
        List<Long> progress = new ArrayList<>();
        Extractor.ReuseHook sameAsV1 = e -> {
            asked.add(e.name());
            return e.name().equals("usr/bin/blob") || e.name().equals("usr/bin/ping") ? v1.resolve(e.name()) : null;
        };
        Path v2 = tmp.resolve("v2");
        Extractor.Result r = Extractor.extract(tar, v2, new Extractor.Options(sameAsV1, progress::add, false));

        assertThat(r.reused()).isEqualTo(2);
        assertThat(asked).contains("etc/passwd", "usr/bin/blob", "etc/c").doesNotContain("usr/bin/a", "etc");
        assertThat(inode(v2.resolve("usr/bin/blob"))).isEqualTo(inode(v1.resolve("usr/bin/blob")));
        assertThat(inode(v2.resolve("etc/passwd"))).isNotEqualTo(inode(v1.resolve("etc/passwd")));
        // Apart from the two files now shared with v1 (one more link each), v2 equals v1.
        assertThat(withoutLinkGroups(TreeSnapshot.of(v2, p -> false)))
                .isEqualTo(withoutLinkGroups(TreeSnapshot.of(v1, p -> false)));
        assertThat(progress).isSorted().isNotEmpty();
        assertThat(progress.get(progress.size() - 1)).isEqualTo(Files.size(tar));
    }

    /**
     * File contents are hashed on a thread of their own, from buffers that hold many small files or part of a large
     * one: every file's digest must still be its own, across buffer boundaries, whether the file is written or
     * linked, and a lie about a file far into the archive (after many buffers were handed over) must still refuse it.
     */
    @Test
    void holdsEveryFileToItsIndexDigestAcrossBufferBoundaries() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 3000; i++) { // ~2.3 MB of small files: they share buffers
            byte[] b = new byte[random.nextInt(1500)];
            random.nextBytes(b);
            Files.write(Files.createDirectories(src.resolve("small/d" + i % 37)).resolve("f" + i), b);
        }
        for (int size : new int[] {0, FileContents.BUFFER - 1, FileContents.BUFFER, FileContents.BUFFER + 1,
                5 * FileContents.BUFFER / 2}) {
            byte[] b = new byte[size];
            random.nextBytes(b);
            Files.write(src.resolve("big-" + size), b);
        }
        Files.writeString(src.resolve("zz-last"), "the last file of the archive\n");
        List<FileEntry> index = new ArrayList<>();
        Path tar = tmp.resolve("root.tar.zst");
        RootfsPacker.packDirectory(src, tar, PackOptions.rootfs(OptionalLong.empty()), index::add);

        Path good = tmp.resolve("good");
        Extractor.extract(tar, good, new Extractor.Options(null, null, false, new IndexCheck(index), false, null));
        assertThat(TreeSnapshot.of(good, p -> false)).isEqualTo(TreeSnapshot.of(src, p -> false));

        // The same archive, linking every small file from the first tree: contents are hashed all the same.
        Path linked = tmp.resolve("linked");
        Extractor.ReuseHook fromGood = e -> e.name().startsWith("small/") ? good.resolve(e.name()) : null;
        Extractor.Result r = Extractor.extract(tar, linked,
                new Extractor.Options(fromGood, null, false, new IndexCheck(index), false, null));
        assertThat(r.reused()).isEqualTo(3000);

        for (String lie : List.of("zz-last", "big-" + (FileContents.BUFFER + 1), "small/d9/f2969")) {
            assertThat(index).anyMatch(f -> f.path().equals(lie));
            List<FileEntry> lying = index.stream().map(f -> f.path().equals(lie) ? new FileEntry(f.path(), f.type(),
                    f.mode(), f.uid(), f.gid(), f.size(), "0".repeat(64), f.linkTarget(), f.devMajor(), f.devMinor(),
                    f.mtime(), f.xattrs()) : f).toList();
            for (Extractor.ReuseHook hook : java.util.Arrays.asList(null, fromGood)) {
                Path out = tmp.resolve("out");
                assertThatThrownBy(() -> Extractor.extract(tar, out,
                        new Extractor.Options(hook, null, false, new IndexCheck(lying), false, null)))
                        .isInstanceOf(RoclusterException.class)
                        .hasMessageContaining("the content of '" + lie + "' does not have the index's sha256");
                assertThat(out).doesNotExist();
                assertThat(siblingsOf(out)).noneMatch(n -> n.startsWith(".out"));
            }
        }
    }

    @Test
    void truncatedOrCorruptArchivesGiveOneClearLineAndLeaveNothing() throws Exception {
        Path zst = packedEveryKind("root.tar.zst");
        Path plain = packedEveryKind("root.tar");
        byte[] z = Files.readAllBytes(zst);
        byte[] t = Files.readAllBytes(plain);

        Path cutZst = tmp.resolve("cut.tar.zst");
        Files.write(cutZst, java.util.Arrays.copyOf(z, z.length / 2));
        assertFails(cutZst, "corrupt or truncated zstd data");

        Path cutTar = tmp.resolve("cut.tar");
        Files.write(cutTar, java.util.Arrays.copyOf(t, 4096 + 700));
        assertFails(cutTar, "truncated tar archive at byte");

        Path noEnd = tmp.resolve("noend.tar");
        Files.write(noEnd, java.util.Arrays.copyOf(t, 4096));
        assertFails(noEnd, "it ends without the end-of-archive marker");

        Path flipped = tmp.resolve("flipped.tar");
        byte[] f = t.clone();
        f[512 + 10] ^= 0x20; // inside the second header's name
        Files.write(flipped, f);
        assertFails(flipped, "corrupt tar archive: bad header checksum at byte 512");

        Path garbage = tmp.resolve("garbage.tar");
        Files.write(garbage, "this is not a tar archive at all".repeat(40).getBytes());
        assertFails(garbage, "corrupt tar archive");

        Path empty = tmp.resolve("empty.tar.gz");
        Files.write(empty, new byte[0]);
        assertFails(empty, "it is empty or not a tar archive");
    }

    private void assertFails(Path archive, String message) throws IOException {
        Path out = tmp.resolve("out");
        assertThatThrownBy(() -> Extractor.extract(archive, out, Extractor.Options.defaults()))
                .isInstanceOf(RoclusterException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(out).doesNotExist();
        assertThat(siblingsOf(out)).noneMatch(n -> n.startsWith(".out"));
    }

    private static List<String> siblingsOf(Path p) throws IOException {
        try (var s = Files.list(p.getParent())) {
            return s.map(x -> x.getFileName().toString()).toList();
        }
    }

    private static Map<String, String> withoutLinkGroups(Map<String, String> snapshot) {
        Map<String, String> m = new java.util.TreeMap<>();
        snapshot.forEach((k, v) -> m.put(k, v.replace(" linkgroup=usr/bin/blob", "")
                .replace(" linkgroup=usr/bin/ping", "")));
        return m;
    }

    private static Object inode(Path p) throws IOException {
        return Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }
}

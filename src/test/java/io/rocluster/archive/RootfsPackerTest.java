package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsPackerTest {

    @TempDir
    Path tmp;

    @Test
    void gnuTarAndBsdtarRestoreEveryKindOfEntry() throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Trees.everyKind(src);
        Path tar = tmp.resolve("root.tar");
        RootfsPacker.packDirectory(src, tar, PackOptions.rootfs(OptionalLong.empty()), null);

        Map<String, String> expected = TreeSnapshot.of(src, Trees::excludedContent);
        assertThat(expected).containsKeys("dev", "tmp", "home", "usr/bin/ping").doesNotContainKeys("tmp/junk",
                "dev/null", "home/alice", "srv/www");

        Path gnu = Files.createDirectory(tmp.resolve("gnu"));
        Sh.run(gnu, "tar --xattrs --xattrs-include='*' --numeric-owner -xpf " + tar);
        assertThat(TreeSnapshot.of(gnu, p -> false)).isEqualTo(expected);

        Path bsd = Files.createDirectory(tmp.resolve("bsd"));
        Sh.run(bsd, "bsdtar -xpf " + tar);
        assertThat(TreeSnapshot.of(bsd, p -> false)).isEqualTo(expected);
    }

    @Test
    void sameTreeBuiltInAnotherOrderGivesIdenticalBytes() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        Trees.everyKind(a);
        // The same content copied by GNU tar in reverse order (children before their directories, the
        // hardlink first seen under another name), after burning inode numbers.
        Sh.run(b, "for i in $(seq 1 50); do : > burn$i; done; rm burn*");
        Sh.run(a, "find . -mindepth 1 | sort -r | tar --xattrs --xattrs-include='*' --numeric-owner"
                + " --no-recursion -T - -cf - | tar -C " + b + " --xattrs --xattrs-include='*' -xpf -");
        OptionalLong epoch = OptionalLong.of(1_500_000_000L);
        Path ta = tmp.resolve("a.tar");
        Path tb = tmp.resolve("b.tar");
        PackResult ra = RootfsPacker.packDirectory(a, ta, PackOptions.rootfs(epoch), null);
        PackResult rb = RootfsPacker.packDirectory(b, tb, PackOptions.rootfs(epoch), null);
        assertThat(Sh.run(a, "stat -c %i etc/passwd")).isNotEqualTo(Sh.run(b, "stat -c %i etc/passwd"));
        assertThat(Sh.run(tmp, "tar -tvvf " + tb)).isEqualTo(Sh.run(tmp, "tar -tvvf " + ta));
        assertThat(TreeSnapshot.sha256(tb)).isEqualTo(TreeSnapshot.sha256(ta));
        assertThat(rb.tarSha256()).isEqualTo(ra.tarSha256()).isEqualTo(TreeSnapshot.sha256(ta));
        assertThat(ra.tarSize()).isEqualTo(Files.size(ta));
    }

    @Test
    void libcAndJdkFileAccessGiveTheSameArchiveAndIndex() throws Exception {
        assertThat(NativeFiles.AVAILABLE).as("statx and open through libc on this machine").isTrue();
        Path src = Files.createDirectory(tmp.resolve("src"));
        Trees.everyKind(src);
        Files.write(src.resolve("usr/big.bin"), new byte[3 * Pipe.CHUNK + 17]); // spans several reads
        List<FileEntry> viaLibc = new ArrayList<>();
        PackResult a = RootfsPacker.packDirectory(src, tmp.resolve("a.tar"), PackOptions.rootfs(OptionalLong.empty()),
                viaLibc::add);
        List<FileEntry> viaJdk = new ArrayList<>();
        PackResult b;
        DirectoryWalker.nativeFiles = false;
        try {
            b = RootfsPacker.packDirectory(src, tmp.resolve("b.tar"), PackOptions.rootfs(OptionalLong.empty()),
                    viaJdk::add);
        } finally {
            DirectoryWalker.nativeFiles = NativeFiles.AVAILABLE;
        }
        assertThat(b.tarSha256()).isEqualTo(a.tarSha256());
        assertThat(viaJdk).isEqualTo(viaLibc);
    }

    @Test
    void entriesComeInTheOrderOfGnuTarSortByName() throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Trees.everyKind(src);
        Path tar = tmp.resolve("root.tar");
        RootfsPacker.packDirectory(src, tar, new PackOptions(OptionalLong.empty(), false), null);
        String ours = Sh.run(tmp, "tar -tf " + tar);
        String gnu = Sh.run(src, "tar --sort=name -cf - . | tar -tf -");
        assertThat(ours).isEqualTo(gnu);
        assertThat(ours).contains("./order/a/\n./order/a/b\n./order/a-\n./order/a.b\n");
    }

    @Test
    void mtimesAreClampedAndIndexDescribesEveryEntry() throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Trees.everyKind(src);
        List<FileEntry> index = new ArrayList<>();
        Path tar = tmp.resolve("root.tar.zst");
        PackResult r = RootfsPacker.packDirectory(src, tar, PackOptions.rootfs(OptionalLong.of(1_050_000_000L)),
                index::add);

        assertThat(r.entries()).isEqualTo(index.size() + 1); // the root entry is not indexed
        assertThat(index).allSatisfy(e -> assertThat(e.mtime()).isLessThanOrEqualTo(1_050_000_000L));
        Map<String, FileEntry> byPath = new java.util.HashMap<>();
        index.forEach(e -> byPath.put(e.path(), e));
        assertThat(byPath.get("usr/bin/ping").mtime()).isEqualTo(1_000_000_000L);
        assertThat(byPath.get("usr/bin/ping").mode()).isEqualTo(04755);
        assertThat(byPath.get("usr/bin/ping").xattrs()).containsEntry("security.capability",
                "AQAAAgAgAAAAAAAAAAAAAAAAAAA=");
        FileEntry first = byPath.get("etc/c");
        assertThat(first.type()).isEqualTo(FileEntry.Type.FILE);
        assertThat(first.sha256()).isEqualTo(TreeSnapshot.sha256(src.resolve("usr/bin/a")));
        assertThat(byPath.get("usr/bin/a")).satisfies(e -> {
            assertThat(e.type()).isEqualTo(FileEntry.Type.HARDLINK);
            assertThat(e.linkTarget()).isEqualTo("etc/c");
            assertThat(e.sha256()).isEqualTo(first.sha256());
        });
        assertThat(byPath.get("devs/big")).satisfies(e -> {
            assertThat(e.type()).isEqualTo(FileEntry.Type.CHAR_DEVICE);
            assertThat(e.devMajor()).isEqualTo(300);
            assertThat(e.devMinor()).isEqualTo(70000);
        });
        assertThat(byPath.get("etc/bigid").uid()).isEqualTo(3_000_000L);
        assertThat(byPath).containsKey("tmp").doesNotContainKey("tmp/junk");
        assertThat(Sh.run(tmp, "zstd -dc " + tar + " | sha256sum")).startsWith(r.tarSha256());
        assertThat(Sh.run(tmp, "sha256sum " + tar)).startsWith(r.compressedSha256());
    }
}

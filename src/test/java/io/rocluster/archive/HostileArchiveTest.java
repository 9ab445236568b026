package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives crafted to escape the target directory. Each must be refused with one line, create or change
 * nothing outside the target, and leave the target as it was (absent, or the empty directory it was).
 */
class HostileArchiveTest {

    @TempDir
    Path tmp;

    private Path victim;
    private Map<String, String> before;

    @BeforeEach
    void victim() throws Exception {
        victim = Files.createDirectory(tmp.resolve("victim"));
        Files.writeString(victim.resolve("file"), "precious");
        Files.createDirectory(tmp.resolve("empty-target"));
        before = TreeSnapshot.of(tmp, p -> false);
    }

    private interface Builder {
        void build(TarWriter w) throws IOException;
    }

    private void assertRefused(String expected, Builder b) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(bytes);
        b.build(w);
        w.finish();
        Path archive = Files.createTempFile("hostile", ".tar");
        try {
            Files.write(archive, bytes.toByteArray());
            for (Path target : List.of(tmp.resolve("new-target"), tmp.resolve("empty-target"))) {
                assertThatThrownBy(() -> Extractor.extract(archive, target, Extractor.Options.defaults()))
                        .isInstanceOf(RoclusterException.class)
                        .hasMessageContaining(expected)
                        .satisfies(e -> assertThat(e.getMessage()).startsWith("refusing archive: ")
                                .doesNotContain("\n"));
                assertThat(TreeSnapshot.of(tmp, p -> false)).isEqualTo(before);
                assertThat(Files.exists(Path.of("/evil"))).isFalse();
            }
        } finally {
            Files.delete(archive);
        }
    }

    private static void dir(TarWriter w, String name) throws IOException {
        w.putEntry(new TarEntry(name, FileEntry.Type.DIRECTORY, 0755, 0, 0, 0, 0, null, 0, 0, null));
    }

    private static void file(TarWriter w, String name) throws IOException {
        byte[] data = "evil".getBytes(StandardCharsets.US_ASCII);
        w.putEntry(new TarEntry(name, FileEntry.Type.FILE, 0644, 0, 0, data.length, 0, null, 0, 0, null));
        w.write(data, 0, data.length);
    }

    private static void symlink(TarWriter w, String name, String target) throws IOException {
        w.putEntry(new TarEntry(name, FileEntry.Type.SYMLINK, 0777, 0, 0, 0, 0, target, 0, 0, null));
    }

    private static void hardlink(TarWriter w, String name, String target) throws IOException {
        w.putEntry(new TarEntry(name, FileEntry.Type.HARDLINK, 0644, 0, 0, 0, 0, target, 0, 0, null));
    }

    @Test
    void parentReferences() throws Exception {
        assertRefused("entry '../victim/evil' contains '..'", w -> file(w, "../victim/evil"));
        assertRefused("contains '..'", w -> {
            dir(w, "a/");
            file(w, "a/../../victim/evil");
        });
        assertRefused("contains '..'", w -> file(w, "./.."));
    }

    @Test
    void absoluteNames() throws Exception {
        assertRefused("has an absolute name", w -> file(w, victim.resolve("evil").toString()));
        assertRefused("has an absolute name", w -> file(w, "/evil"));
    }

    @Test
    void nulInName() throws Exception {
        // Only a pax path record can carry a NUL; the writer switches to pax for it.
        assertRefused("contains a NUL byte", w -> file(w, "etc/pass\0wd"));
    }

    @Test
    void writingThroughAnAbsoluteSymlink() throws Exception {
        assertRefused("goes through the symlink 'l'", w -> {
            symlink(w, "l", victim.toString());
            file(w, "l/evil");
        });
    }

    @Test
    void writingThroughARelativeSymlink() throws Exception {
        assertRefused("goes through the symlink 'l'", w -> {
            symlink(w, "l", "../victim");
            file(w, "l/evil");
        });
        assertRefused("goes through the symlink 'd/up'", w -> {
            dir(w, "d/");
            symlink(w, "d/up", "..");
            file(w, "d/up/evil");
        });
    }

    @Test
    void writingThroughChainedSymlinks() throws Exception {
        assertRefused("goes through the symlink 'l1'", w -> {
            symlink(w, "l2", victim.toString());
            symlink(w, "l1", "l2");
            file(w, "l1/evil");
        });
    }

    @Test
    void symlinkReplacingADirectory() throws Exception {
        assertRefused("entry 'd' would replace a directory", w -> {
            dir(w, "d/");
            symlink(w, "d", victim.toString());
            file(w, "d/evil");
        });
    }

    @Test
    void fileReplacingADirectoryOrAnEntryRepeated() throws Exception {
        assertRefused("would replace a directory", w -> {
            dir(w, "etc/");
            file(w, "etc");
        });
        assertRefused("repeats an entry already extracted", w -> {
            symlink(w, "passwd", victim.resolve("file").toString());
            file(w, "passwd");
        });
    }

    @Test
    void writingBelowAFile() throws Exception {
        assertRefused("goes through 'f', which is not a directory", w -> {
            file(w, "f");
            file(w, "f/evil");
        });
    }

    @Test
    void hardlinksToOutside() throws Exception {
        assertRefused("contains '..'", w -> hardlink(w, "h", "../victim/file"));
        assertRefused("has an absolute name", w -> hardlink(w, "h", victim.resolve("file").toString()));
        assertRefused("is a hardlink to 'missing', which is not a file extracted before it",
                w -> hardlink(w, "h", "missing"));
    }

    @Test
    void hardlinksThroughSymlinks() throws Exception {
        assertRefused("goes through the symlink 'l'", w -> {
            symlink(w, "l", victim.toString());
            hardlink(w, "h", "l/file");
        });
    }

    @Test
    void hardlinkToADirectory() throws Exception {
        assertRefused("which is not a file extracted before it", w -> {
            dir(w, "d/");
            hardlink(w, "h", "d");
        });
    }

    @Test
    void rootThatIsNotADirectory() throws Exception {
        assertRefused("makes the archive root a symlink", w -> symlink(w, "./", victim.toString()));
    }

    @Test
    void aLegitimateAbsoluteSymlinkIsCreatedNotFollowed() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(bytes);
        dir(w, "./");
        dir(w, "./etc/");
        symlink(w, "./etc/localtime", "/usr/share/zoneinfo/UTC");
        symlink(w, "./etc/victim", victim.resolve("file").toString());
        w.finish();
        Path archive = tmp.resolve("ok.tar");
        Files.write(archive, bytes.toByteArray());
        Path out = tmp.resolve("out");
        Extractor.extract(archive, out, Extractor.Options.defaults());
        assertThat(Files.readSymbolicLink(out.resolve("etc/localtime"))).hasToString("/usr/share/zoneinfo/UTC");
        assertThat(Files.readSymbolicLink(out.resolve("etc/victim"))).isEqualTo(victim.resolve("file"));
        // Setting the symlink's owner and time touched the link, not the victim.
        Map<String, String> after = TreeSnapshot.of(tmp, p -> p.startsWith("out") || p.equals("ok.tar"));
        assertThat(after).isEqualTo(before);
    }
}

package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives written by GNU tar and bsdtar in each of their formats: rocluster restores the same tree as the
 * tool that wrote it restores (GNU tar's own extraction for GNU tar's archives, bsdtar's for bsdtar's).
 */
class WrittenByOtherToolsTest {

    @TempDir
    Path tmp;

    private void assertSameAsTheWriter(Path src, String format, String create, String extract) throws Exception {
        Path archive = tmp.resolve(format.replace(' ', '-') + ".tar");
        Sh.run(src, create + " -cf " + archive + " .");
        Path theirs = Files.createDirectory(tmp.resolve("theirs-" + archive.getFileName()));
        Sh.run(tmp, extract + " -xpf " + archive + " --numeric-owner -C " + theirs);
        Path ours = tmp.resolve("ours-" + archive.getFileName());
        Extractor.Result r = Extractor.extract(archive, ours, Extractor.Options.defaults());
        Map<String, String> expected = TreeSnapshot.of(theirs, p -> false);
        assertThat(TreeSnapshot.of(ours, p -> false)).as(format).isEqualTo(expected);
        assertThat(r.warnings()).as(format).isEmpty();
        assertThat(expected).as(format).containsKey("usr/bin/b");
    }

    private static final String GNU = "tar --xattrs --xattrs-include='*' --acls";

    @Test
    void gnuTarsFormats() throws Exception {
        Path v7 = Files.createDirectory(tmp.resolve("v7"));
        Trees.portable(v7, false, true);
        assertSameAsTheWriter(v7, "GNU v7", "tar --format=v7", GNU);
        Path ustar = Files.createDirectory(tmp.resolve("ustar"));
        Trees.portable(ustar, true, false);
        assertSameAsTheWriter(ustar, "GNU ustar", "tar --format=ustar", GNU);
        Path every = Files.createDirectory(tmp.resolve("every"));
        Trees.everyKind(every);
        assertSameAsTheWriter(every, "GNU gnu", "tar --format=gnu", GNU);
        assertSameAsTheWriter(every, "GNU oldgnu", "tar --format=oldgnu", GNU);
        assertSameAsTheWriter(every, "GNU posix", "tar --format=posix --xattrs --xattrs-include='*' --acls", GNU);
    }

    @Test
    void bsdtarsFormats() throws Exception {
        Path v7 = Files.createDirectory(tmp.resolve("v7"));
        Trees.portable(v7, false, true);
        assertSameAsTheWriter(v7, "bsdtar v7", "bsdtar --format=v7", "bsdtar");
        Path ustar = Files.createDirectory(tmp.resolve("ustar"));
        Trees.portable(ustar, true, false);
        assertSameAsTheWriter(ustar, "bsdtar ustar", "bsdtar --format=ustar", "bsdtar");
        Path every = Files.createDirectory(tmp.resolve("every"));
        Trees.everyKind(every);
        assertSameAsTheWriter(every, "bsdtar gnutar", "bsdtar --format=gnutar", "bsdtar");
        assertSameAsTheWriter(every, "bsdtar pax", "bsdtar --format=pax", "bsdtar");
    }

    @Test
    void sparseFilesAndMultiVolumePartsGnuTarWroteAreRefusedByNameLabelsSkipped() throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Sh.run(src, """
                truncate -s 1M sparse && printf x >> sparse
                head -c 40000 /dev/urandom > big && printf small > small
                tar --format=gnu -S -cf ../gnu-sparse.tar sparse
                tar --format=posix -S -cf ../posix-sparse.tar sparse
                tar --format=gnu -M -L 30 -cf ../gnu-v1.tar -f ../gnu-v2.tar big small
                tar --format=posix -M -L 30 -cf ../posix-v1.tar -f ../posix-v2.tar big small
                tar --format=gnu --label='Nightly 42' -cf ../gnu-label.tar small
                tar --format=posix --label='Nightly 43' -cf ../posix-label.tar small
                """);
        String fix = "; extract it with GNU tar and repack the tree with rocluster pack";
        assertRefused("gnu-sparse.tar", "unsupported tar entry 'sparse' at byte 0: a GNU tar sparse file (type 'S')"
                + fix);
        assertRefused("posix-sparse.tar", "unsupported tar entry 'sparse' at byte 1024: a GNU tar sparse file (pax"
                + " GNU.sparse.* records)" + fix);
        assertRefused("gnu-v2.tar", "unsupported tar entry 'big' at byte 0: the rest of a file begun in the previous"
                + " volume of a GNU tar multi-volume archive (type 'M'); extract all volumes with GNU tar"
                + " --multi-volume and repack the tree with rocluster pack");
        assertRefused("posix-v2.tar", "unsupported tar entry 'big' at byte 2048: part of a file split across the"
                + " volumes of a GNU tar multi-volume archive (pax GNU.volume.* records); extract all volumes with"
                + " GNU tar --multi-volume and repack the tree with rocluster pack");
        assertRefused("gnu-v1.tar", "truncated tar archive at byte 30720: an entry's content is cut short");
        for (String label : new String[] {"gnu-label.tar", "posix-label.tar"}) {
            Path out = tmp.resolve("out-" + label);
            Extractor.Result r = Extractor.extract(tmp.resolve(label), out, Extractor.Options.defaults());
            assertThat(r.warnings()).as(label).containsExactly("GNU tar volume label skipped: it names the archive,"
                    + " not a file (1 entry): Nightly " + (label.startsWith("gnu") ? "42" : "43"));
            assertThat(Files.readString(out.resolve("small"))).isEqualTo("small");
        }
    }

    private void assertRefused(String archive, String message) {
        assertThatThrownBy(() -> Extractor.extract(tmp.resolve(archive), tmp.resolve("out"), Extractor.Options.defaults()))
                .isInstanceOf(RoclusterException.class)
                .hasMessageContaining(message);
        assertThat(tmp.resolve("out")).doesNotExist();
    }
}

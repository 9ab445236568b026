package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;

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
}

package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A builder's tar stream (names under root/, Go-style headers) becomes the same bytes as a local pack. */
class StreamNormalisationTest {

    @TempDir
    Path tmp;

    private static final PackOptions OPTIONS = PackOptions.rootfs(OptionalLong.of(1_600_000_000L));

    @Test
    void gnuTarPosixStreamOfRootGivesTheSameBytesAsPackingTheDirectory() throws Exception {
        assertSameAsDirectory("posix");
    }

    @Test
    void gnuLongNameEntriesAreReadToo() throws Exception {
        assertSameAsDirectory("gnu");
    }

    private void assertSameAsDirectory(String format) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("build/root"));
        Trees.everyKind(root);
        String xattrs = "--xattrs --xattrs-include='*'";
        if (format.equals("gnu")) {
            // The old GNU format has no place for xattrs (GNU tar then silently writes pax instead).
            Sh.run(root, "setcap -r usr/bin/ping && setfattr -x user.bin etc/passwd");
            xattrs = "";
        }
        ByteArrayOutputStream fromDir = new ByteArrayOutputStream();
        List<FileEntry> dirIndex = new ArrayList<>();
        PackResult d = RootfsPacker.packDirectory(root, fromDir, OPTIONS, dirIndex::add);

        Path stream = tmp.resolve("stream.tar");
        // GNU tar's posix format adds atime/ctime records and sub-second mtimes; gnu format uses
        // 'L'/'K' long-name entries and base-256 ids: both must normalise away.
        Sh.run(tmp.resolve("build"), "tar --format=" + format + " --sort=name " + xattrs
                + " --numeric-owner -cf " + stream + " root");
        if (format.equals("gnu")) {
            assertThat(Sh.run(tmp, "grep -c -a '././@LongLink' " + stream).trim()).isNotEqualTo("0");
        }
        ByteArrayOutputStream fromStream = new ByteArrayOutputStream();
        List<FileEntry> streamIndex = new ArrayList<>();
        PackResult s;
        try (InputStream in = Files.newInputStream(stream)) {
            s = RootfsPacker.packTarStream(in, "root", fromStream, OPTIONS, streamIndex::add);
        }
        assertThat(streamIndex).isEqualTo(dirIndex);
        assertThat(s.tarSha256()).isEqualTo(d.tarSha256());
        assertThat(fromStream.toByteArray()).isEqualTo(fromDir.toByteArray());
    }

    @Test
    void goStyleHeadersWithFileTypeBitsInModeAreNormalised() throws Exception {
        ByteArrayOutputStream go = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(go);
        raw(w, "root/", 040755, '5', "", 0);
        raw(w, "root/bin/", 040755, '5', "", 0);
        raw(w, "root/bin/sh", 0104755, '0', "", 3);
        w.write("sh\n".getBytes(StandardCharsets.US_ASCII), 0, 3);
        raw(w, "root/bin/sh2", 0104755, '1', "root/bin/sh", 0);
        raw(w, "root/tmp/", 041777, '5', "", 0);
        raw(w, "root/tmp/x", 0100644, '0', "", 1);
        w.write(new byte[] {'x'}, 0, 1);
        w.finish();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<FileEntry> index = new ArrayList<>();
        RootfsPacker.packTarStream(new ByteArrayInputStream(go.toByteArray()), "root/", out, OPTIONS, index::add);

        assertThat(index).extracting(FileEntry::path).containsExactly("bin", "bin/sh", "bin/sh2", "tmp");
        assertThat(index.get(1).mode()).isEqualTo(04755);
        assertThat(index.get(2).type()).isEqualTo(FileEntry.Type.HARDLINK);
        assertThat(index.get(2).linkTarget()).isEqualTo("bin/sh");
        assertThat(index.get(2).sha256()).isEqualTo(index.get(1).sha256());
        assertThat(index.get(3).mode()).isEqualTo(01777);
        List<TarEntry> written = new ArrayList<>();
        try (TarReader r = new TarReader(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarEntry e = r.next(); e != null; e = r.next()) {
                written.add(e);
            }
        }
        assertThat(written).extracting(TarEntry::name)
                .containsExactly("./", "./bin/", "./bin/sh", "./bin/sh2", "./tmp/");
        assertThat(written.get(3).linkTarget()).isEqualTo("./bin/sh".substring(2));
    }

    @Test
    void outOfOrderStreamFailsInsteadOfProducingOtherBytes() throws Exception {
        ByteArrayOutputStream go = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(go);
        raw(w, "root/", 040755, '5', "", 0);
        raw(w, "root/b", 0100644, '0', "", 0);
        raw(w, "root/a", 0100644, '0', "", 0);
        w.finish();
        assertThatThrownBy(() -> RootfsPacker.packTarStream(new ByteArrayInputStream(go.toByteArray()), "root",
                new ByteArrayOutputStream(), OPTIONS, null))
                .isInstanceOf(RoclusterException.class)
                .hasMessageContaining("not in canonical order: 'a' comes after 'b'");
    }

    @Test
    void hardlinkToAnExcludedFileFailsClearly() throws Exception {
        ByteArrayOutputStream go = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(go);
        raw(w, "root/", 040755, '5', "", 0);
        raw(w, "root/home/", 040755, '5', "", 0);
        raw(w, "root/home/x", 0100644, '0', "", 0);
        raw(w, "root/usr", 0100644, '1', "root/home/x", 0);
        w.finish();
        assertThatThrownBy(() -> RootfsPacker.packTarStream(new ByteArrayInputStream(go.toByteArray()), "root",
                new ByteArrayOutputStream(), OPTIONS, null))
                .isInstanceOf(RoclusterException.class)
                .hasMessageContaining("hardlink 'usr' points to 'home/x'");
    }

    @Test
    void entryOutsideThePrefixIsRefused() throws Exception {
        ByteArrayOutputStream go = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(go);
        raw(w, "etc/hostname", 0100644, '0', "", 0);
        w.finish();
        assertThatThrownBy(() -> RootfsPacker.packTarStream(new ByteArrayInputStream(go.toByteArray()), "root",
                new ByteArrayOutputStream(), OPTIONS, null))
                .isInstanceOf(RoclusterException.class)
                .hasMessageContaining("entry 'etc/hostname' is outside 'root'");
    }

    @Test
    void aclsNamingUsersAreRefusedWhileStreaming() throws Exception {
        // The ids are in the tree's etc/passwd, which one pass over the stream may not have read yet.
        byte[] tar = new RawTar()
                .add(RawTar.header("root/", '5', RawTar.Magic.USTAR).mode(0755))
                .pax('x', "SCHILY.acl.access=user::rw-\nuser:alice:r--\ngroup::r--\nmask::r--\nother::---\n")
                .add(RawTar.header("root/f", '0', RawTar.Magic.USTAR))
                .end().bytes();
        assertThatThrownBy(() -> RootfsPacker.packTarStream(new ByteArrayInputStream(tar), "root",
                new ByteArrayOutputStream(), OPTIONS, null))
                .isInstanceOf(RoclusterException.class)
                .hasMessage("entry 'root/f' carries POSIX ACLs that name users or groups without ids; stream the"
                        + " tree with numeric ACLs, or unpack it with rocluster unpack and pack the directory");
    }

    static void raw(TarWriter w, String name, int mode, char type, String link, long size) throws Exception {
        w.putRaw(TarHeaders.ustar(name.getBytes(StandardCharsets.UTF_8), new byte[0], mode, 0, 0, size,
                1_700_000_000L, type, link.getBytes(StandardCharsets.UTF_8), 0, 0), size);
    }
}

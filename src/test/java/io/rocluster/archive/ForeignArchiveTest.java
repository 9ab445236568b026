package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import io.rocluster.archive.RawTar.Magic;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives shaped like those other tar writers make (old, odd or broken ones), each header written byte
 * by byte: rocluster must read them as GNU tar and bsdtar do, or refuse with one line saying what the
 * archive uses, and never lose an entry without a word. Where the tools agree, the test extracts the same
 * archive with GNU tar and bsdtar too and compares the trees.
 */
class ForeignArchiveTest {

    @TempDir
    Path tmp;

    private int runs;

    private Path archive(RawTar t) throws IOException {
        return t.write(tmp.resolve("a" + (++runs) + ".tar"));
    }

    private Extractor.Result extract(Path archive, Path out) throws IOException {
        return Extractor.extract(archive, out, Extractor.Options.defaults());
    }

    /** Extracts with rocluster, GNU tar and bsdtar and asserts the three trees are the same; rocluster's tree. */
    private Path extractLikeTheTools(Path archive) throws Exception {
        Path ours = extractLikeGnuTar(archive);
        assertThat(TreeSnapshot.of(bsdtar(archive), p -> false)).as("bsdtar")
                .isEqualTo(TreeSnapshot.of(ours, p -> false));
        return ours;
    }

    private Path extractLikeGnuTar(Path archive) throws Exception {
        Path ours = tmp.resolve("ours" + runs);
        extract(archive, ours);
        Path gnu = Files.createDirectory(tmp.resolve("gnu" + runs));
        Sh.run(tmp, "tar -xpf " + archive + " --numeric-owner --xattrs --xattrs-include='*' -C " + gnu);
        assertThat(TreeSnapshot.of(gnu, p -> false)).as("GNU tar").isEqualTo(TreeSnapshot.of(ours, p -> false));
        return ours;
    }

    private Path bsdtar(Path archive) throws Exception {
        Path bsd = Files.createDirectory(tmp.resolve("bsd" + runs));
        Sh.run(tmp, "bsdtar -xpf " + archive + " --numeric-owner -C " + bsd);
        return bsd;
    }

    private void assertRefused(Path archive, String message) throws IOException {
        Path out = tmp.resolve("refused" + runs);
        assertThatThrownBy(() -> extract(archive, out))
                .isInstanceOf(RoclusterException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(out).doesNotExist();
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".refused"));
        }
    }

    // ---- the cases of issue 18 -------------------------------------------------------------------

    @Test
    void entriesWithoutDataKeepTheirSizeFieldToThemselves() throws Exception {
        // Each such header claims 512 bytes of data; the next header follows at once. Before, the reader
        // skipped that header as data: a directory lost, exit 0.
        for (Magic magic : Magic.values()) {
            for (char type : new char[] {'5', '0', '2', '3', '4', '6'}) {
                String name = type == '5' || type == '0' ? "a/" : "a"; // '0' with a slash: an old-style directory
                RawTar.Header a = RawTar.header(name, type, magic).size(512).mode(0750);
                if (type == '2') {
                    a.link("b/f");
                }
                if (type == '3' || type == '4') {
                    a.device(1, 7);
                }
                Path archive = archive(new RawTar().add(a)
                        .add(RawTar.header("b/", '5', magic).mode(0700).mtime(1500000000))
                        .file("b/f", "hi\n", magic)
                        .end());
                Path out = extractLikeTheTools(archive);
                String as = magic + " type " + type;
                assertThat(Files.readString(out.resolve("b/f"))).as(as).isEqualTo("hi\n");
                assertThat(Files.getAttribute(out.resolve("b"), "unix:mode")).as(as).isEqualTo(040700);
                assertThat(Files.getLastModifiedTime(out.resolve("b")).toMillis()).as(as).isEqualTo(1500000000000L);
            }
        }
    }

    @Test
    void aGnuDumpdirKeepsItsDataWhichIsItsListing() throws Exception {
        byte[] listing = "Yf\0Nold\0\0".getBytes(StandardCharsets.US_ASCII);
        Path archive = archive(new RawTar()
                .add(RawTar.header("d/", 'D', Magic.GNU).mode(0755).size(listing.length)).data(listing)
                .file("d/f", "hi\n", Magic.GNU)
                .end());
        Path out = extractLikeTheTools(archive);
        assertThat(Files.readString(out.resolve("d/f"))).isEqualTo("hi\n");
    }

    /** A file whose content is itself a valid header, so a reader taking size 0 or 14 both stay in step. */
    private Path sizeField(byte[] field) throws IOException {
        return archive(new RawTar()
                .add(RawTar.header("f", '0', Magic.USTAR).raw(124, 12, field))
                .add(RawTar.header("g", '0', Magic.USTAR))
                .end());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private long sizeReadByRocluster(Path archive) throws IOException {
        try (TarReader r = new TarReader(Files.newInputStream(archive))) {
            return r.next().size();
        }
    }

    @Test
    void numericFieldsAreReadAsGnuTarAndBsdtarReadThem() throws Exception {
        // field bytes -> the size GNU tar 1.34 and bsdtar 3.6 list for it
        Map<String, Long> agreed = new java.util.LinkedHashMap<>();
        agreed.put("\0\0\0\0\0\0\0 0016\0", 0L); // the issue's archive: leading NULs end the field
        agreed.put("\0\0\0\0\0\0\0\0\0\0\0\0", 0L);
        agreed.put("   00000016\0", 14L); // leading spaces (old tars)
        agreed.put("00000000016 ", 14L); // space terminator
        agreed.put("000000000016", 14L); // no terminator: all twelve bytes are digits
        agreed.put("00000016    ", 14L); // space padding (Perl's Archive::Tar)
        agreed.put("16\0         ", 14L); // what follows the terminator does not count
        agreed.put("\u0080\0\0\0\0\0\0\0\0\0\0\u000e", 14L); // GNU base-256
        for (Map.Entry<String, Long> c : agreed.entrySet()) {
            Path archive = sizeField(bytes(c.getKey()));
            String as = "size field " + EntryNames.printable(c.getKey());
            assertThat(sizeReadByRocluster(archive)).as(as).isEqualTo(c.getValue());
            assertThat(Sh.run(tmp, "tar --numeric-owner -tvf " + archive + " | awk 'NR==1 {print $3}'").strip())
                    .as(as + " GNU tar").isEqualTo(c.getValue().toString());
            assertThat(Sh.run(tmp, "bsdtar -tvf " + archive + " | awk 'NR==1 {print $5}'").strip())
                    .as(as + " bsdtar").isEqualTo(c.getValue().toString());
        }

        // bsdtar reads 0, GNU tar refuses ("Blanks in header"): 0, as plexus-archiver wrote uid fields so.
        assertThat(sizeReadByRocluster(sizeField(bytes("            ")))).isZero();
        // A leading tab: GNU tar and libarchive's reader skip it (bsdtar's format guess refuses it in a first
        // header only).
        Path tab = sizeField(bytes("\t0000000016\0"));
        assertThat(sizeReadByRocluster(tab)).isEqualTo(14);
        assertThat(Sh.run(tmp, "tar -tvf " + tab + " | awk 'NR==1 {print $3}'").strip()).isEqualTo("14");

        // Where the tools disagree or refuse, rocluster refuses with the field's name.
        assertRefused(sizeField(bytes("\0 0000000016\0")),
                "a size field of a NUL then digits, which GNU tar reads as a number and bsdtar as 0");
        assertRefused(sizeField(bytes("0000016x\0\0\0\0")), "a size field that is not an octal number at byte 0");
        assertRefused(sizeField(bytes("00000000019\0")), "a size field that is not an octal number");
        assertRefused(sizeField(bytes("\u0080\u00ff\0\0\0\0\0\0\0\0\0\u000e")), "a size field too large for 64 bits");
        assertRefused(sizeField(bytes("\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00fe")),
                "corrupt tar archive: a negative size at byte 0");
    }

    @Test
    void bigAndNegativeNumbersInBase256() throws Exception {
        byte[] uid = {(byte) 0x80, 0, 0, 0, 0, 0x2d, (byte) 0xc6, (byte) 0xc0}; // 3000000
        byte[] mtime = bytes("\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00fe"); // -2
        Path archive = archive(new RawTar()
                .add(RawTar.header("f", '0', Magic.GNU).raw(108, 8, uid).raw(116, 8, bytes("       \0"))
                        .raw(136, 12, mtime))
                .end());
        Path out = extractLikeTheTools(archive);
        assertThat(Files.getAttribute(out.resolve("f"), "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(3000000);
        assertThat(Files.getAttribute(out.resolve("f"), "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0);
        assertThat(Files.getLastModifiedTime(out.resolve("f")).toMillis()).isEqualTo(-2000L);

        byte[] negativeUid = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xfe};
        assertRefused(archive(new RawTar().add(RawTar.header("f", '0', Magic.GNU).raw(108, 8, negativeUid)).end()),
                "corrupt tar archive: an owner id out of range (-2:0) at byte 0");
    }

    @Test
    void anEntryWithAnEmptyNameIsRefusedAndTheTargetKeepsItsOwnMetadata() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("target"));
        Files.setAttribute(target, "unix:mode", 0755);
        Map<String, String> before = TreeSnapshot.of(target, p -> false);
        long mtime = Files.getLastModifiedTime(target).toMillis();
        Path archive = archive(new RawTar()
                .add(RawTar.header("", '5', Magic.USTAR).mode(0700).owner(1234, 1234))
                .file("f", "hi\n", Magic.USTAR)
                .end());
        assertThatThrownBy(() -> extract(archive, target))
                .isInstanceOf(RoclusterException.class)
                .hasMessage("refusing archive: the entry at byte 0 has an empty name, which places it nowhere"
                        + " (GNU tar would apply it to the target directory itself); repack the tree with"
                        + " rocluster pack");
        assertThat(TreeSnapshot.of(target, p -> false)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(target).toMillis()).isEqualTo(mtime);
        assertRefused(archive, "has an empty name");
        // A pax path record that empties the name is no different.
        assertRefused(archive(new RawTar().pax('x', "path=").add(RawTar.header("", '0', Magic.USTAR)).end()),
                "the entry at byte 1024 has an empty name");
    }

    @Test
    void zstdStartingWithSkippableFramesIsZstd() throws Exception {
        byte[] tar = new RawTar().file("f", "hi\n", Magic.USTAR).end().bytes();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        for (int magic : new int[] {0x184D2A50, 0x184D2A5F}) { // the first and last skippable magic
            z.writeBytes(new byte[] {(byte) magic, (byte) (magic >> 8), (byte) (magic >> 16), (byte) (magic >> 24),
                4, 0, 0, 0, 's', 'k', 'i', 'p'});
        }
        try (OutputStream c = Compression.ZSTD.compress(z)) {
            c.write(tar);
        }
        Path skippable = Files.write(tmp.resolve("skippable.tar.zst"), z.toByteArray());
        assertThat(Compression.detect(new java.io.BufferedInputStream(new ByteArrayInputStream(z.toByteArray()))))
                .isEqualTo(Compression.ZSTD);
        assertThat(Sh.run(tmp, "zstd -dc " + skippable + " | tar -xOf - f")).isEqualTo("hi\n");
        assertThat(Files.readString(tmpExtract(skippable).resolve("f"))).isEqualTo("hi\n");

        // pzstd, zstd's parallel tool, starts every frame with a skippable one.
        Path plain = Files.write(tmp.resolve("p.tar"), tar);
        Sh.run(tmp, "pzstd -q -p 2 -o " + tmp.resolve("p.tar.zst") + " " + plain
                + " && test \"$(head -c 4 " + tmp.resolve("p.tar.zst") + " | od -An -tx1 | tr -d ' ')\" = 502a4d18");
        assertThat(Files.readString(tmpExtract(tmp.resolve("p.tar.zst")).resolve("f"))).isEqualTo("hi\n");
    }

    private Path tmpExtract(Path archive) throws IOException {
        Path out = tmp.resolve("x" + (++runs));
        extract(archive, out);
        return out;
    }

    @Test
    void anOldHardlinkWithASizeAndNoBody() throws Exception {
        for (Magic magic : Magic.values()) {
            // Before, the reader skipped three bytes that are not there: "truncated … fetch or rebuild it".
            Path last = archive(new RawTar()
                    .file("f", "hi\n", magic)
                    .add(RawTar.header("h", '1', magic).size(3).link("f"))
                    .end());
            Path out = extractLikeTheTools(last);
            assertThat(inode(out.resolve("h"))).as(magic.toString()).isEqualTo(inode(out.resolve("f")));

            Path middle = archive(new RawTar()
                    .file("f", "hi\n", magic)
                    .add(RawTar.header("h", '1', magic).size(3).link("f"))
                    .file("g", "yo\n", magic)
                    .end());
            out = extractLikeTheTools(middle);
            assertThat(inode(out.resolve("h"))).as(magic.toString()).isEqualTo(inode(out.resolve("f")));
            assertThat(Files.readString(out.resolve("g"))).isEqualTo("yo\n");
        }
    }

    @Test
    void aPaxHardlinkMayCarryItsTargetsData() throws Exception {
        // POSIX 2001 lets a pax hardlink carry data; libarchive reads it so, the link still points at f.
        Path archive = archive(new RawTar()
                .file("f", "hi\n", Magic.USTAR)
                .pax('x', "path=h")
                .add(RawTar.header("h", '1', Magic.USTAR).size(3).link("f")).data("hi\n")
                .file("g", "yo\n", Magic.USTAR)
                .end());
        Path out = tmpExtract(archive);
        assertThat(TreeSnapshot.of(out, p -> false)).isEqualTo(TreeSnapshot.of(bsdtar(archive), p -> false));
        assertThat(inode(out.resolve("h"))).isEqualTo(inode(out.resolve("f")));
        assertThat(Files.readString(out.resolve("g"))).isEqualTo("yo\n");
    }

    // ---- the rest of the class ----------------------------------------------------------------------

    @Test
    void paxRecordsAsGnuTarAndBsdtarReadThem() throws Exception {
        Path archive = archive(new RawTar()
                .pax('g', "mtime=1500000000", "comment=made by a test")
                .pax('x', "path=dir/", "mtime=1600000000.75", "uid=3000000", "gid=4000000",
                        "atime=1.5", "uname=nobody", "SCHILY.dev=5")
                .add(RawTar.header("ignored", '5', Magic.USTAR).mode(0711))
                .pax('X', "path=dir/long-" + "n".repeat(120), "SCHILY.xattr.user.k=v") // Solaris' 'X'
                .file("short", "hi\n", Magic.USTAR)
                .pax('x', "mtime=-1.5")
                .file("old", "", Magic.USTAR)
                .add(RawTar.header("inherits", '0', Magic.USTAR).mtime(7))
                .end());
        Path out = extractLikeGnuTar(archive);
        assertThat(Files.getAttribute(out.resolve("dir"), "unix:mode")).isEqualTo(040711);
        assertThat(Files.getAttribute(out.resolve("dir"), "unix:uid")).isEqualTo(3000000);
        assertThat(Files.getLastModifiedTime(out.resolve("dir")).toMillis()).isEqualTo(1600000000000L);
        Path longName = out.resolve("dir/long-" + "n".repeat(120));
        assertThat(Files.readString(longName)).isEqualTo("hi\n");
        assertThat(new String(Libc.getXattr(longName, "user.k"), StandardCharsets.UTF_8)).isEqualTo("v");
        assertThat(Files.getLastModifiedTime(out.resolve("old")).toMillis()).isEqualTo(-2000L);
        // The global mtime holds for every entry without its own, as POSIX and GNU tar say; bsdtar ignores
        // global headers, and reads -1.5 as -1 + 0.5 s.
        assertThat(Files.getLastModifiedTime(out.resolve("inherits")).toMillis()).isEqualTo(1500000000000L);
        Path bsd = bsdtar(archive);
        assertThat(Files.getLastModifiedTime(bsd.resolve("inherits")).toMillis()).isEqualTo(7000L);
        assertThat(Files.getLastModifiedTime(bsd.resolve("old")).toMillis()).isEqualTo(-500L);
    }

    @Test
    void aPaxSizeOnADirectoryIsIgnoredToo() throws Exception {
        Path archive = archive(new RawTar()
                .pax('x', "size=4096")
                .add(RawTar.header("d/", '5', Magic.USTAR))
                .file("d/f", "hi\n", Magic.USTAR)
                .end());
        assertThat(Files.readString(extractLikeGnuTar(archive).resolve("d/f"))).isEqualTo("hi\n");
        // bsdtar 3.6 skips 4096 bytes there and loses d/f (newer libarchive ignores it, as GNU tar).
        assertThat(Sh.run(tmp, "bsdtar -tf " + archive + " 2>/dev/null || true")).isEqualTo("d/\n");
    }

    @Test
    void anEmptyPaxValueUnsetsTheKeywordAsPosixSays() throws Exception {
        Path archive = archive(new RawTar()
                .pax('g', "uid=7")
                .pax('x', "uid=")
                .add(RawTar.header("header-uid", '0', Magic.USTAR).owner(1234, 0))
                .add(RawTar.header("global-uid", '0', Magic.USTAR).owner(1234, 0))
                .pax('g', "uid=")
                .add(RawTar.header("unset", '0', Magic.USTAR).owner(99, 0))
                .end());
        Path out = tmpExtract(archive);
        assertThat(Files.getAttribute(out.resolve("header-uid"), "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(out.resolve("global-uid"), "unix:uid")).isEqualTo(7);
        assertThat(Files.getAttribute(out.resolve("unset"), "unix:uid")).isEqualTo(99);
    }

    @Test
    void malformedPaxHeadersAreRefused() throws Exception {
        assertRefused(archive(new RawTar().paxRaw('x', "20 path=f\n").file("f", "", Magic.USTAR).end()),
                "corrupt tar archive: a malformed pax record at byte 0");
        assertRefused(archive(new RawTar().paxRaw('x', "x7 a=b\n").file("f", "", Magic.USTAR).end()),
                "a malformed pax record");
        assertRefused(archive(new RawTar().pax('x', "uid=12a").file("f", "", Magic.USTAR).end()),
                "a pax uid record that is not a number from 0 to 4294967294 ('12a') at byte 0;");
        assertRefused(archive(new RawTar().pax('x', "size=-1").file("f", "", Magic.USTAR).end()),
                "a pax size record that is not a number");
        assertRefused(archive(new RawTar().pax('x', "mtime=1e999999999").file("f", "", Magic.USTAR).end()),
                "a pax mtime record that is not [-]seconds[.fraction] ('1e999999999')");
        assertRefused(archive(new RawTar().pax('x', "LIBARCHIVE.xattr.user.k=@@@").file("f", "", Magic.USTAR).end()),
                "a pax LIBARCHIVE.xattr.user.k record that is not base64");
        // libarchive refuses a second 'x' for one entry; GNU tar silently keeps only the last.
        assertRefused(archive(new RawTar().pax('x', "uid=1").pax('x', "gid=2").file("f", "", Magic.USTAR).end()),
                "a second pax extended header for one entry at byte 1024");
        assertRefused(archive(new RawTar().pax('x', "path=f").end()),
                "an end-of-archive marker right after an extended header, without its entry at byte 1024");
    }

    @Test
    void whatRoclusterDoesNotRestoreIsRefusedByName() throws Exception {
        String gnuFix = "; extract it with GNU tar and repack the tree with rocluster pack";
        assertRefused(archive(new RawTar().add(RawTar.header("s", 'S', Magic.GNU).size(0)).end()),
                "unsupported tar entry 's' at byte 0: a GNU tar sparse file (type 'S')" + gnuFix);
        assertRefused(archive(new RawTar().pax('x', "GNU.sparse.major=1", "GNU.sparse.minor=0",
                        "GNU.sparse.name=real-name", "GNU.sparse.realsize=1048576")
                        .file("./GNUSparseFile.0/real-name", "", Magic.USTAR).end()),
                "unsupported tar entry 'real-name' at byte 1024: a GNU tar sparse file (pax GNU.sparse.* records)");
        assertRefused(archive(new RawTar().add(RawTar.header("rest", 'M', Magic.GNU)).end()),
                "unsupported tar entry 'rest' at byte 0: the rest of a file begun in the previous volume of a"
                        + " GNU tar multi-volume archive (type 'M'); extract all volumes with GNU tar"
                        + " --multi-volume and repack the tree with rocluster pack");
        assertRefused(archive(new RawTar().add(RawTar.header("n", 'N', Magic.GNU)).end()),
                "an old GNU tar long-name script (type 'N')" + gnuFix);
        assertRefused(archive(new RawTar().add(RawTar.header("f", 'A', Magic.USTAR)).end()),
                "a Solaris tar ACL header (type 'A'); repack it with ACLs as pax records");
        assertRefused(archive(new RawTar().add(RawTar.header("q", 'Q', Magic.USTAR)).end()),
                "unsupported tar entry 'q' at byte 0: type 'Q', which is not a file, directory, link, device or"
                        + " FIFO" + gnuFix);
        assertRefused(archive(new RawTar().add(RawTar.header("caf\u00e9", '0', Magic.USTAR)
                        .raw(0, 100, bytes("caf\u00e9"))).end()),
                "unsupported tar entry at byte 0: its name is not valid UTF-8; rocluster needs UTF-8 names");
    }

    @Test
    void whatRoclusterReadsPastIsNamedInAWarning() throws Exception {
        Path archive = archive(new RawTar()
                .add(RawTar.header("Backup of 2026-12-01", 'V', Magic.GNU))
                .pax('x', "SCHILY.acl.ace=everyone@:r-----a-R-c--s:-------:allow", "VENDOR.thing=1")
                .file("a", "", Magic.USTAR)
                .pax('x', "VENDOR.thing=2", "SCHILY.fflags=nodump")
                .file("b", "", Magic.USTAR)
                .end());
        Extractor.Result r = tmpExtract(archive, out -> assertThat(out.resolve("b")).exists());
        assertThat(r.warnings()).containsExactly(
                "GNU tar volume label skipped: it names the archive, not a file (1 entry): Backup of 2026-12-01",
                "NFSv4 ACLs (pax SCHILY.acl.ace) not restored: Linux file systems other than NFS cannot hold them"
                        + " (1 entry): a",
                "pax keyword 'VENDOR.thing' ignored: rocluster does not know it (2 entries): a, b",
                "file flags (pax SCHILY.fflags, as set by chattr or chflags) not restored (1 entry): b");
        assertThat(r.entries()).isEqualTo(2);
    }

    private Extractor.Result tmpExtract(Path archive, ThrowingCheck check) throws Exception {
        Path out = tmp.resolve("x" + (++runs));
        Extractor.Result r = extract(archive, out);
        check.check(out);
        return r;
    }

    private interface ThrowingCheck {
        void check(Path out) throws Exception;
    }

    @Test
    void checksumsAsGnuTarAndBsdtarCheckThem() throws Exception {
        // Old BSD, Solaris and HP-UX tars summed signed chars: different once a name has bytes above 0x7f.
        Path archive = archive(new RawTar()
                .add(RawTar.header("caf\u00e9", '0', Magic.USTAR).signedChecksum())
                .end());
        assertThat(Files.exists(extractLikeTheTools(archive).resolve("caf\u00e9"))).isTrue();
        assertRefused(archive(new RawTar().add(RawTar.header("f", '0', Magic.USTAR)
                .checksumField(new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0x10, 0})).end()),
                "corrupt tar archive: bad header checksum at byte 0");
    }

    @Test
    void archivesJoinedTogetherAreRefusedNotHalfRead() throws Exception {
        byte[] one = new RawTar().file("a", "1", Magic.USTAR).end().bytes();
        byte[] two = new RawTar().file("b", "2", Magic.USTAR).end().bytes();
        Path joined = Files.write(tmp.resolve("joined.tar"), concat(one, two));
        // GNU tar and bsdtar stop at the first end marker: b is dropped, exit 0.
        assertThat(Sh.run(tmp, "tar -tf " + joined + "; bsdtar -tf " + joined)).isEqualTo("a\na\n");
        assertRefused(joined, "refusing archive: a tar header at byte 2048 follows the end-of-archive marker at"
                + " byte 1024 (archives joined together?), and GNU tar and bsdtar would drop its entries; extract"
                + " it with GNU tar --ignore-zeros and repack the tree with rocluster pack");
        // Padding and junk that is not a header after the marker are ignored, as by both tools.
        byte[] junk = new byte[2048];
        java.util.Arrays.fill(junk, 600, 700, (byte) 'x');
        assertThat(tmpExtract(Files.write(tmp.resolve("padded.tar"), concat(one, junk))).resolve("a")).exists();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void compressionsAreRecognisedOrRefusedByName() throws Exception {
        Path plain = new RawTar().file("f", "hi\n", Magic.USTAR).end().write(tmp.resolve("p.tar"));
        Sh.run(tmp, "bzip2 -kc " + plain + " > p.tar.bz2");
        assertThat(Files.readString(tmpExtract(tmp.resolve("p.tar.bz2")).resolve("f"))).isEqualTo("hi\n");
        record Magic(byte[] bytes, String what, String tool) {}
        for (Magic c : List.of(
                new Magic(new byte[] {0x04, 0x22, 0x4d, 0x18, 0, 0}, "lz4", "lz4 -d"),
                new Magic("LZIP\1\0".getBytes(StandardCharsets.US_ASCII), "lzip", "lzip -d"),
                new Magic(new byte[] {0x1f, (byte) 0x9d, (byte) 0x90, 0, 0, 0}, "compress (.Z)", "uncompress"))) {
            Path f = Files.write(tmp.resolve("c" + (++runs)), c.bytes());
            assertRefused(f, "the archive is " + c.what() + "-compressed, which rocluster does not read;"
                    + " decompress it first (" + c.tool() + ") or recompress it with zstd, gzip, xz or bzip2");
        }
    }

    private static Object inode(Path p) throws IOException {
        return Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }
}

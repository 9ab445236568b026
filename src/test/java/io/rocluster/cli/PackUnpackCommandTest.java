package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackUnpackCommandTest {

    @TempDir
    Path tmp;

    @Test
    void packThenUnpackPrintsOneLineSummariesWithTheSameDigest() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/etc"));
        Files.writeString(src.resolve("hostname"), "node1\n");
        Files.createDirectories(tmp.resolve("src/tmp"));
        Files.writeString(tmp.resolve("src/tmp/junk"), "x");
        Path out = tmp.resolve("root.tar.zst");

        Cli.Run pack = Cli.run("pack", tmp.resolve("src").toString(), "--out", out.toString(), "--source-date-epoch", "1");
        assertThat(pack.code()).isZero();
        assertThat(pack.out()).matches("packed .* into .*root\\.tar\\.zst: 4 entries, 3584 tar bytes \\(\\d+ stored\\),"
                + " tar sha256 [0-9a-f]{64}\\n");

        Cli.Run unpack = Cli.run("unpack", out.toString(), "--into", tmp.resolve("dst").toString());
        assertThat(unpack.code()).isZero();
        String digest = pack.out().substring(pack.out().length() - 65);
        assertThat(unpack.out()).endsWith(digest).contains(": 4 entries, 3584 tar bytes");
        assertThat(tmp.resolve("dst/etc/hostname")).hasContent("node1");
        assertThat(Files.getLastModifiedTime(tmp.resolve("dst/etc/hostname")).toMillis()).isEqualTo(1000);
        assertThat(tmp.resolve("dst/tmp")).isEmptyDirectory();
    }

    @Test
    void errorsAreOneLineAndExitOne() throws Exception {
        Path garbage = tmp.resolve("garbage.tar.zst");
        Files.write(garbage, new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 1, 2, 3});
        Cli.Run bad = Cli.run("unpack", garbage.toString(), "--into", tmp.resolve("dst").toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("rocluster: corrupt or truncated zstd data").hasLineCount(1);
        assertThat(tmp.resolve("dst")).doesNotExist();

        Cli.Run badName = Cli.run("pack", tmp.toString(), "--out", tmp.resolve("x.zip").toString());
        assertThat(badName.code()).isEqualTo(1);
        assertThat(badName.err()).isEqualTo("rocluster: cannot tell the compression of 'x.zip': name the output"
                + " *.tar.zst (default), *.tar.gz or *.tar\n");

        Cli.Run inside = Cli.run("pack", tmp.toString(), "--out", tmp.resolve("sub/../self.tar").toString());
        assertThat(inside.code()).isEqualTo(1);
        assertThat(inside.err()).startsWith("rocluster: the output ").contains("lies inside").hasLineCount(1);
        assertThat(tmp.resolve("self.tar")).doesNotExist();

        Cli.Run usage = Cli.run("pack", tmp.toString());
        assertThat(usage.code()).isEqualTo(2);
    }

    @Test
    void whatTheArchiveHoldsAndRoclusterDoesNotRestoreIsOneWarningLineOnStderr() throws Exception {
        Files.writeString(tmp.resolve("f"), "hi");
        Process p = new ProcessBuilder("tar", "--format=gnu", "--label=Nightly 7", "-cf", "labelled.tar", "f")
                .directory(tmp.toFile()).inheritIO().start();
        assertThat(p.waitFor()).isZero();

        Cli.Run r = Cli.run("unpack", tmp.resolve("labelled.tar").toString(), "--into", tmp.resolve("out").toString());

        assertThat(r.code()).isZero();
        assertThat(r.err()).isEqualTo("rocluster: warning: GNU tar volume label skipped: it names the archive, not a"
                + " file (1 entry): Nightly 7\n");
        assertThat(r.out()).startsWith("unpacked " + tmp.resolve("labelled.tar") + " into " + tmp.resolve("out")
                + ": 1 entries, ");
        assertThat(Files.readString(tmp.resolve("out/f"))).isEqualTo("hi");
    }
}

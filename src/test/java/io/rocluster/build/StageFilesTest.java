package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageFilesTest {

    @TempDir
    Path tmp;

    @Test
    void scriptBringsTheLibrariesItSourcesFromItsParentDirectory() throws IOException {
        Path stages = Files.createDirectories(tmp.resolve("stages/debian12"));
        Files.writeString(tmp.resolve("stages/lib.sh"), ". \"$here/other.sh\"\n");
        Files.writeString(tmp.resolve("stages/other.sh"), "true\n");
        Files.writeString(tmp.resolve("stages/unused.sh"), "true\n");
        Files.writeString(stages.resolve("20-x.sh"), "#!/bin/sh\nhere=$(dirname \"$0\")\n. \"$here/lib.sh\"\n");

        Map<String, TarArchiveEntry> tar = entries(new StageFiles().script(stages, "20-x.sh").toTar());

        assertThat(tar).containsOnlyKeys("20-x.sh", "lib.sh", "other.sh");
        assertThat(tar.get("20-x.sh").getMode() & 07777).isEqualTo(0755);
    }

    @Test
    void treeKeepsSymlinksAndModesWithRootOwnerAndNoTimes() throws IOException {
        Path files = Files.createDirectories(tmp.resolve("files/etc/systemd/system/multi-user.target.wants"));
        Path exe = Files.createDirectories(tmp.resolve("files/usr/libexec")).resolve("check");
        Files.writeString(exe, "#!/bin/sh\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(files.resolve("x.service"), Path.of("/usr/lib/systemd/system/x.service"));

        Map<String, TarArchiveEntry> tar = entries(new StageFiles().tree(tmp.resolve("files"), "readonly/files").toTar());

        TarArchiveEntry link = tar.get("readonly/files/etc/systemd/system/multi-user.target.wants/x.service");
        assertThat(link.isSymbolicLink()).isTrue();
        assertThat(link.getLinkName()).isEqualTo("/usr/lib/systemd/system/x.service");
        assertThat(tar.get("readonly/files/usr/libexec/check").getMode() & 07777).isEqualTo(0755);
        assertThat(tar.get("readonly/files/usr/").isDirectory()).isTrue();
        assertThat(tar.values()).allSatisfy(e -> {
            assertThat(e.getLongUserId()).isZero();
            assertThat(e.getModTime().getTime()).isZero();
        });
    }

    @Test
    void sameTreeSameBytesWhateverTheCreationOrder() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Files.writeString(a.resolve("z"), "1");
        Files.writeString(a.resolve("b"), "2");
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(b.resolve("b"), "2");
        Files.writeString(b.resolve("z"), "1");

        assertThat(new StageFiles().tree(a, "t").toTar()).isEqualTo(new StageFiles().tree(b, "t").toTar());
    }

    @Test
    void laterFileReplacesAStaticOneOfTheSamePath() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("a/etc"));
        Files.writeString(a.resolve("fstab"), "static");

        Map<String, TarArchiveEntry> tar = entries(new StageFiles().tree(tmp.resolve("a"), "f")
                .file("f/etc/fstab", "rendered".getBytes(), 0644).toTar());

        assertThat(tar.get("f/etc/fstab").getSize()).isEqualTo("rendered".length());
    }

    private static Map<String, TarArchiveEntry> entries(byte[] tar) throws IOException {
        Map<String, TarArchiveEntry> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), e);
            }
        }
        return out;
    }
}

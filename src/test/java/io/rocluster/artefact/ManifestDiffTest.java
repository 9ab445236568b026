package io.rocluster.artefact;

import static io.rocluster.artefact.TestManifests.dir;
import static io.rocluster.artefact.TestManifests.file;
import static io.rocluster.artefact.TestManifests.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.archive.FileEntry;
import io.rocluster.artefact.ManifestDiff.FileChange;
import io.rocluster.artefact.ManifestDiff.FileChangeKind;
import io.rocluster.artefact.ManifestDiff.PackageChange;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The diff itself, from two manifests, without the command line. */
class ManifestDiffTest {

    @TempDir
    Path tmp;

    @Test
    void everyKindOfChangeIsFoundAndFilesDifferingOnlyInMtimeAreCounted() throws Exception {
        Manifest[] m = TestManifests.nightlyPair(tmp);
        ManifestDiff d = ManifestDiff.of(m[0], m[1]);

        assertThat(d.from()).isEqualTo("compute 2026.11.25.9");
        assertThat(d.to()).isEqualTo("compute 2026.11.25.10");
        assertThat(d.kernel()).isEqualTo(new ManifestDiff.Change("6.1.0-49-amd64", "6.1.0-50-amd64"));
        assertThat(d.cmdline()).isNull();
        assertThat(d.sameRootfs()).isFalse();
        assertThat(d.packages()).containsExactly(
                new PackageChange("htop", "amd64", null, "3.2.2-2"),
                new PackageChange("nano", "amd64", "7.2-1", null),
                new PackageChange("openssl", "amd64", "3.0.15-1~deb12u1", "3.0.17-1~deb12u2"));
        assertThat(d.packages()).extracting(PackageChange::sign).containsExactly('+', '-', '~');
        assertThat(d.specFields()).containsExactly("rwtab.dirs");
        assertThat(d.files()).containsExactly(
                new FileChange("etc/localtime", FileChangeKind.CONTENT,
                        "→ /usr/share/zoneinfo/UTC became → /usr/share/zoneinfo/CET"),
                new FileChange("etc/motd", FileChangeKind.CONTENT, "5 → 7 bytes"),
                new FileChange("etc/new.conf", FileChangeKind.ADDED, "7 bytes"),
                new FileChange("etc/old.conf", FileChangeKind.REMOVED, "5 bytes"),
                new FileChange("usr/bin/ping", FileChangeKind.METADATA, "mode 0755 → 4755"));
        assertThat(d.mtimeOnly()).isEqualTo(1);
        assertThat(d.count(FileChangeKind.CONTENT)).isEqualTo(2);
        assertThat(d.identical()).isFalse();
    }

    @Test
    void typeOwnerXattrAndDeviceChangesAreNamed() {
        String sha = "a".repeat(64);
        FileEntry dev = new FileEntry("dev/null", FileEntry.Type.CHAR_DEVICE, 0666, 0, 0, 0, null, null, 1, 3, 0, Map.of());
        Manifest a = manifest("1", "k", List.of(), List.of(dir("etc"), file("etc/x", 0644, sha, 1, 0),
                new FileEntry("etc/y", FileEntry.Type.FILE, 0644, 0, 0, 1, sha, null, 0, 0, 0, Map.of("user.a", "YQ==")),
                dev), null, "1".repeat(64));
        Manifest b = manifest("2", "k", List.of(), List.of(file("etc", 0644, sha, 1, 0),
                new FileEntry("etc/x", FileEntry.Type.FILE, 0644, 1000, 100, 1, sha, null, 0, 0, 0, Map.of()),
                new FileEntry("etc/y", FileEntry.Type.FILE, 0644, 0, 0, 1, sha, null, 0, 0, 0, Map.of("user.a", "Yg==")),
                new FileEntry("dev/null", FileEntry.Type.CHAR_DEVICE, 0666, 0, 0, 0, null, null, 1, 5, 0, Map.of())),
                null, "2".repeat(64));

        assertThat(ManifestDiff.of(a, b).files()).containsExactly(
                new FileChange("dev/null", FileChangeKind.CONTENT, "device 1:3 → 1:5"),
                new FileChange("etc", FileChangeKind.TYPE, "directory → file"),
                new FileChange("etc/x", FileChangeKind.METADATA, "owner 0:0 → 1000:100"),
                new FileChange("etc/y", FileChangeKind.METADATA, "xattrs user.a"));
        assertThat(ManifestDiff.of(a, b).specFields()).isEmpty();
    }

    @Test
    void aManifestAgainstItselfIsIdenticalAndTheReportSaysSoInOneLine() throws Exception {
        Manifest m = TestManifests.nightlyPair(tmp)[0];
        ManifestDiff d = ManifestDiff.of(m, m);
        assertThat(d.identical()).isTrue();
        assertThat(d.sameRootfs()).isTrue();
        assertThat(d.report(true)).containsExactly("compute 2026.11.25.9 → compute 2026.11.25.9",
                "no differences (same rootfs tar digest)");
    }

    @Test
    void theReportCountsAndListsFilesOnlyWhenAsked() throws Exception {
        Manifest[] m = TestManifests.nightlyPair(tmp);
        ManifestDiff d = ManifestDiff.of(m[0], m[1]);
        List<String> counts = d.report(false);
        assertThat(counts).containsExactly(
                "compute 2026.11.25.9 → compute 2026.11.25.10",
                "kernel:   6.1.0-49-amd64 → 6.1.0-50-amd64",
                "packages: 1 added, 1 removed, 1 changed",
                "  + htop 3.2.2-2 (amd64)",
                "  - nano 7.2-1 (amd64)",
                "  ~ openssl 3.0.15-1~deb12u1 → 3.0.17-1~deb12u2 (amd64)",
                "spec:     rwtab.dirs",
                "files:    1 added, 1 removed, 2 changed content, 0 changed type, 1 changed metadata; 1 differ only in mtime",
                "(--files lists them)");
        List<String> listed = d.report(true);
        assertThat(listed).hasSize(counts.size() - 1 + 5).contains("  m /usr/bin/ping  (mode 0755 → 4755)")
                .doesNotContain("(--files lists them)");
    }
}

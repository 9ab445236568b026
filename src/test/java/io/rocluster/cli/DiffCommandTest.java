package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rocluster.archive.FileEntry;
import io.rocluster.archive.FileEntry.Type;
import io.rocluster.artefact.Manifest;
import io.rocluster.artefact.ManifestJson;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.SpecLoader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rocluster diff} on artefact directories and deployed versions, through the real command line. */
class DiffCommandTest {

    @TempDir
    Path tmp;

    private static FileEntry file(String path, int mode, String sha, long size, long mtime) {
        return new FileEntry(path, Type.FILE, mode, 0, 0, size, sha, null, 0, 0, mtime, Map.of());
    }

    private static FileEntry symlink(String path, String target) {
        return new FileEntry(path, Type.SYMLINK, 0777, 0, 0, 0, null, target, 0, 0, 100, Map.of());
    }

    private static FileEntry dir(String path) {
        return new FileEntry(path, Type.DIRECTORY, 0755, 0, 0, 0, null, null, 0, 0, 100, Map.of());
    }

    private static Manifest manifest(String version, String kernel, List<Manifest.PackageVersion> packages,
            List<FileEntry> files, ImageSpec spec, String tarSha) {
        return new Manifest(ManifestJson.FORMAT_VERSION, "compute", version, "debian12", kernel, "", packages,
                new Manifest.Rootfs("compute-" + version + ".rootfs.tar.zst", tarSha, 10240, "c".repeat(64), 100),
                files, Map.of("bootstrap", "d1"), "sha256:builder", spec, List.of(), "test", "2026-11-25T00:00:00Z", null);
    }

    private static Path write(Path dir, Manifest m) throws Exception {
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(dir.resolve("manifest.json"))) {
            ManifestJson.write(m, out);
        }
        return dir;
    }

    private Manifest[] pair() throws Exception {
        ImageSpec spec = SpecLoader.load(Path.of("examples/debian12.yaml"));
        Path changedSpec = tmp.resolve("changed.yaml");
        Files.writeString(changedSpec, Files.readString(Path.of("examples/debian12.yaml"))
                .replace("rwtab:\n  dirs: []", "rwtab:\n  dirs: [/var/cache/extra]"));
        ImageSpec spec2 = SpecLoader.load(changedSpec);
        String a = "a".repeat(64);
        String b = "b".repeat(64);
        Manifest older = manifest("2026.11.25.9", "6.1.0-49-amd64",
                List.of(new Manifest.PackageVersion("bash", "5.2.15-2+b7", "amd64"),
                        new Manifest.PackageVersion("nano", "7.2-1", "amd64"),
                        new Manifest.PackageVersion("openssl", "3.0.15-1~deb12u1", "amd64")),
                List.of(dir("etc"), file("etc/motd", 0644, a, 5, 100), file("etc/old.conf", 0644, a, 5, 100),
                        symlink("etc/localtime", "/usr/share/zoneinfo/UTC"), file("usr/bin/ping", 0755, a, 5, 100),
                        file("usr/bin/same", 0755, a, 5, 100), file("usr/bin/touched", 0755, a, 5, 100)),
                spec, "1".repeat(64));
        Manifest newer = manifest("2026.11.25.10", "6.1.0-50-amd64",
                List.of(new Manifest.PackageVersion("bash", "5.2.15-2+b7", "amd64"),
                        new Manifest.PackageVersion("htop", "3.2.2-2", "amd64"),
                        new Manifest.PackageVersion("openssl", "3.0.17-1~deb12u2", "amd64")),
                List.of(dir("etc"), file("etc/motd", 0644, b, 7, 100), symlink("etc/localtime", "/usr/share/zoneinfo/CET"),
                        file("etc/new.conf", 0600, b, 7, 100), file("usr/bin/ping", 04755, a, 5, 100),
                        file("usr/bin/same", 0755, a, 5, 100), file("usr/bin/touched", 0755, a, 5, 200)),
                spec2, "2".repeat(64));
        return new Manifest[] {older, newer};
    }

    @Test
    void artefactDirectoriesShowKernelPackagesSpecAndFileCounts() throws Exception {
        Manifest[] m = pair();
        Path a = write(tmp.resolve("out/compute/2026.11.25.9"), m[0]);
        Path b = write(tmp.resolve("out/compute/2026.11.25.10"), m[1]);

        Cli.Run r = Cli.run("diff", a.toString(), b.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                "compute 2026.11.25.9 → compute 2026.11.25.10",
                "kernel:   6.1.0-49-amd64 → 6.1.0-50-amd64",
                "packages: 1 added, 1 removed, 1 changed",
                "  + htop 3.2.2-2 (amd64)",
                "  - nano 7.2-1 (amd64)",
                "  ~ openssl 3.0.15-1~deb12u1 → 3.0.17-1~deb12u2 (amd64)",
                "spec:     rwtab.dirs",
                "files:    1 added, 1 removed, 2 changed content, 0 changed type, 1 changed metadata; 1 differ only in mtime",
                "(--files lists them)");
        assertThat(r.out()).doesNotContain("bash", "/usr/bin/same");

        Cli.Run files = Cli.run("diff", "--files", a.toString(), b.toString());
        assertThat(files.out()).contains(
                "  + /etc/new.conf  (7 bytes)",
                "  - /etc/old.conf  (5 bytes)",
                "  M /etc/motd  (5 → 7 bytes)",
                "  M /etc/localtime  (→ /usr/share/zoneinfo/UTC became → /usr/share/zoneinfo/CET)",
                "  m /usr/bin/ping  (mode 0755 → 4755)");
        assertThat(files.out()).doesNotContain("/usr/bin/same", "/usr/bin/touched");
    }

    @Test
    void deployedVersionsAreNamedByVersionAndJsonListsEveryChange() throws Exception {
        Manifest[] m = pair();
        Path master = tmp.resolve("master");
        write(master.resolve("images/2026.11.25.9"), m[0]);
        write(master.resolve("images/2026.11.25.10"), m[1]);

        Cli.Run r = Cli.run("diff", "--json", "--master", master.toString(), "2026.11.25.9", "2026.11.25.10");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("kernel").get("to").asText()).isEqualTo("6.1.0-50-amd64");
        assertThat(j.get("packages")).hasSize(3);
        assertThat(j.get("files")).hasSize(5);
        assertThat(j.get("files").get(0).get("path").asText()).isEqualTo("etc/localtime");
        assertThat(j.get("mtimeOnly").asLong()).isEqualTo(1);
        assertThat(j.get("sameRootfs").asBoolean()).isFalse();
    }

    @Test
    void aVersionAgainstItselfHasNoDifferences() throws Exception {
        Manifest[] m = pair();
        Path a = write(tmp.resolve("a"), m[0]);
        Cli.Run r = Cli.run("diff", a.toString(), a.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("no differences (same rootfs tar digest)");
    }

    @Test
    void somethingThatIsNeitherAnArtefactNorAVersionIsOneClearError() throws Exception {
        Manifest[] m = pair();
        Path a = write(tmp.resolve("a"), m[0]);
        Path master = tmp.resolve("master");
        Files.createDirectories(master.resolve("images"));

        Cli.Run r = Cli.run("diff", "--master", master.toString(), a.toString(), "2026.11.26.1");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n")
                .contains("'2026.11.26.1' is neither an artefact directory", "rocluster list");
        assertThat(Cli.run("diff", a.toString(), tmp.resolve("nowhere").toString()).code()).isEqualTo(1);
    }
}

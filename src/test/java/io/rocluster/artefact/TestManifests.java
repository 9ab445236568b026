package io.rocluster.artefact;

import io.rocluster.archive.FileEntry;
import io.rocluster.archive.FileEntry.Type;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Manifests written by hand for the diff's tests (no tree, no tarball): two consecutive nightly versions of
 * an image that differ in kernel, packages, one spec field and every kind of file change.
 */
public final class TestManifests {

    private TestManifests() {}

    /** A regular file's index entry. */
    public static FileEntry file(String path, int mode, String sha, long size, long mtime) {
        return new FileEntry(path, Type.FILE, mode, 0, 0, size, sha, null, 0, 0, mtime, Map.of());
    }

    /** A symlink's index entry. */
    public static FileEntry symlink(String path, String target) {
        return new FileEntry(path, Type.SYMLINK, 0777, 0, 0, 0, null, target, 0, 0, 100, Map.of());
    }

    /** A directory's index entry. */
    public static FileEntry dir(String path) {
        return new FileEntry(path, Type.DIRECTORY, 0755, 0, 0, 0, null, null, 0, 0, 100, Map.of());
    }

    /** A manifest of image {@code compute} with the given parts; everything else fixed. */
    public static Manifest manifest(String version, String kernel, List<Manifest.PackageVersion> packages,
            List<FileEntry> files, ImageSpec spec, String tarSha) {
        return new Manifest(ManifestJson.FORMAT_VERSION, "compute", version, "debian12", kernel, "", packages,
                new Manifest.Rootfs("compute-" + version + ".rootfs.tar.zst", tarSha, 10240, "c".repeat(64), 100),
                files, Map.of("bootstrap", "d1"), "sha256:builder", spec, List.of(), "test", "2026-11-25T00:00:00Z", null, null);
    }

    /** Writes {@code m} as {@code dir/manifest.json} (what diff reads of an artefact or deployed version). */
    public static Path write(Path dir, Manifest m) throws IOException {
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(dir.resolve("manifest.json"))) {
            ManifestJson.write(m, out);
        }
        return dir;
    }

    /**
     * 2026.11.25.9 and 2026.11.25.10: kernel 49 → 50; htop added, nano removed, openssl changed, bash equal;
     * rwtab.dirs changed; etc/new.conf added, etc/old.conf removed, etc/motd and etc/localtime changed,
     * usr/bin/ping's mode changed, usr/bin/touched only its mtime, usr/bin/same nothing. {@code scratch} holds
     * the changed spec file.
     */
    public static Manifest[] nightlyPair(Path scratch) throws IOException {
        ImageSpec spec = SpecLoader.load(Path.of("examples/debian12.yaml"));
        Path changedSpec = scratch.resolve("changed.yaml");
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
}

package io.rocluster.artefact;

import io.rocluster.archive.FileEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/** Builds small but real artefacts (zstd tarball, manifest, SHA256SUMS) for the artefact tests. */
final class TestArtefacts {

    private TestArtefacts() {}

    static byte[] tar(String... nameContentPairs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (int i = 0; i < nameContentPairs.length; i += 2) {
                byte[] data = nameContentPairs[i + 1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(nameContentPairs[i]);
                e.setSize(data.length);
                e.setModTime(0);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] zstd(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZstdCompressorOutputStream z = new ZstdCompressorOutputStream(bytes)) {
            z.write(data);
        }
        return bytes.toByteArray();
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(Sha256Sums.newDigest().digest(data));
    }

    static Manifest manifest(String name, String version, byte[] tar, byte[] compressed) {
        return new Manifest(
                ManifestJson.FORMAT_VERSION, name, version, "debian12", "6.1.0-28-amd64", "quiet",
                List.of(new Manifest.PackageVersion("bash", "5.2.15-2+b7", "amd64")),
                new Manifest.Rootfs(ArtefactDirectory.rootfsFileName(name, version),
                        sha256(tar), tar.length, sha256(compressed), compressed.length),
                List.of(new FileEntry("etc/hostname", FileEntry.Type.FILE, 0644, 0, 0, 5, sha256("node\n".getBytes()),
                        null, 0, 0, 0, new java.util.TreeMap<>(Map.of("user.b", "Yg==", "security.capability", "AQAAAg==")))),
                new java.util.LinkedHashMap<>(Map.of("bootstrap", "aa")),
                "sha256:builder", null, List.of(), "test", "2026-01-01T00:00:00Z", null);
    }

    /** Writes a complete artefact through {@link ArtefactWriter}. */
    static ArtefactDirectory write(ArtefactStore store, String name, String version) throws IOException {
        byte[] tar = tar("etc/hostname", "node\n", "etc/motd", "hello\n");
        byte[] compressed = zstd(tar);
        try (ArtefactWriter w = ArtefactWriter.create(store, name, version)) {
            Files.write(w.file(ArtefactDirectory.rootfsFileName(name, version)), compressed);
            Files.writeString(w.file(ArtefactDirectory.VMLINUZ), "kernel");
            Files.writeString(w.file(ArtefactDirectory.INITRAMFS), "initramfs");
            Files.writeString(w.file(ArtefactDirectory.BUILD_LOG), "log\n");
            return w.commit(manifest(name, version, tar, compressed));
        }
    }
}

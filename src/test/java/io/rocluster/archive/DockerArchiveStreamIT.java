package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Docker archive API (through {@code docker cp CONTAINER:/usr -}, which streams the same
 * endpoint) emits entries in rocluster's canonical order, so a builder's root normalises on the fly,
 * and to the very bytes that packing the same tree from a directory gives. Needs a Docker engine with
 * the {@code debian:12} image (./setup makes it).
 */
class DockerArchiveStreamIT {

    @TempDir
    Path tmp;

    private String container;

    @BeforeEach
    void createContainer() throws Exception {
        container = Sh.run(tmp, "docker create debian:12 true").trim();
    }

    @AfterEach
    void removeContainer() throws Exception {
        Sh.run(tmp, "docker rm -f " + container + " >/dev/null");
    }

    @Test
    void dockerStreamIsCanonicalAndNormalisesToTheBytesOfADirectoryPack() throws Exception {
        Path stream = tmp.resolve("usr.tar");
        Sh.run(tmp, "docker cp " + container + ":/usr - > " + stream);
        String names = Sh.run(tmp, "tar -tf " + stream + " | head -3");
        assertThat(names).startsWith("usr/\n"); // Docker's shape: the directory's own name as prefix

        PackOptions options = new PackOptions(OptionalLong.of(1_700_000_000L), false);
        List<FileEntry> fromStream = new ArrayList<>();
        ByteArrayOutputStream normalised = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(stream)) {
            // Throws if Docker's order were not depth-first with siblings sorted by name bytes.
            RootfsPacker.packTarStream(in, "usr", normalised, options, fromStream::add);
        }
        long dockerEntries = Sh.run(tmp, "tar -tf " + stream).lines().count();
        assertThat(fromStream).hasSize((int) dockerEntries - 1); // the root is not indexed
        assertThat(fromStream.size()).isGreaterThan(1000);

        Path dir = Files.createDirectory(tmp.resolve("x"));
        Sh.run(dir, "tar --xattrs --xattrs-include='*' --numeric-owner -xpf " + stream);
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        List<FileEntry> fromDir = new ArrayList<>();
        RootfsPacker.packDirectory(dir.resolve("usr"), packed, options, fromDir::add);
        assertThat(fromDir).isEqualTo(fromStream);
        assertThat(sha(packed.toByteArray())).isEqualTo(sha(normalised.toByteArray()));
    }

    private static String sha(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }
}

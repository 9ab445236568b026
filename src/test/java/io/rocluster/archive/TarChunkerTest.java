package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarChunkerTest {

    /** Small sizes, so that a test tree of a few MiB has many chunks of every kind. */
    static final TarChunker.Params SMALL = new TarChunker.Params(2048, 8192, 16384, 32768, 262144, 16384);

    @TempDir
    Path tmp;

    @Test
    void chunksConcatenateToTheInputWhateverTheWriteSizes() throws Exception {
        byte[] tar = tar(tree("a", 0));
        List<byte[]> whole = chunks(tar, SMALL, tar.length);
        List<byte[]> bytewise = chunks(tar, SMALL, 1);
        List<byte[]> odd = chunks(tar, SMALL, 4999);
        assertThat(concat(whole)).isEqualTo(tar);
        assertThat(digests(bytewise)).isEqualTo(digests(whole));
        assertThat(digests(odd)).isEqualTo(digests(whole));
        assertThat(whole.size()).isGreaterThan(20);
        for (byte[] c : whole.subList(0, whole.size() - 1)) {
            assertThat(c.length % 512).isZero();
            assertThat(c.length).isLessThanOrEqualTo(SMALL.max());
        }
    }

    @Test
    void aBigFileWhoseHeaderChangedKeepsItsDataChunks() throws Exception {
        Path a = tree("a", 0);
        Path b = tree("b", 0);
        // A new mtime on the big files (as a nightly that rewrote them gives), and one new small file.
        for (int i = 0; i < 3; i++) {
            Files.setLastModifiedTime(b.resolve("big/file" + i + ".bin"), FileTime.fromMillis(1_800_000_000_000L));
        }
        Files.writeString(b.resolve("etc/new.conf"), "one more line\n");
        Set<String> oldChunks = new TreeSet<>(digests(chunks(tar(a), SMALL, 65536)));
        List<byte[]> newChunks = chunks(tar(b), SMALL, 65536);
        long newBytes = 0;
        long total = 0;
        for (byte[] c : newChunks) {
            total += c.length;
            if (!oldChunks.contains(digest(c))) {
                newBytes += c.length;
            }
        }
        // The big files' data (3 × 300 KiB of the ~1.4 MiB) is shared; only chunks of headers and small files are new.
        assertThat(newBytes).isLessThan(total / 4);
    }

    @Test
    void aStreamThatIsNotTarIsStillCutAndReassembled() throws Exception {
        byte[] noise = new byte[1 << 20];
        new Random(7).nextBytes(noise);
        List<byte[]> c = chunks(noise, SMALL, 777);
        assertThat(concat(c)).isEqualTo(noise);
        assertThat(c.size()).isGreaterThan(10);
    }

    @Test
    void framedZstdIsOneFramePerChunkAndReadsBackAsOneStream() throws Exception {
        byte[] tar = tar(tree("a", 0));
        Path file = tmp.resolve("root.tar.zst");
        try (var out = new FramedZstdOutputStream(Files.newOutputStream(file), 3, 2, SMALL)) {
            out.write(tar);
        }
        List<ZstdFrames.Frame> frames = ZstdFrames.of(file);
        assertThat(frames).hasSize(chunks(tar, SMALL, tar.length).size());
        assertThat(frames.get(frames.size() - 1).offset() + frames.get(frames.size() - 1).length()).isEqualTo(Files.size(file));
        try (InputStream in = Compression.decompress(Files.newInputStream(file))) {
            assertThat(in.readAllBytes()).isEqualTo(tar);
        }
        // The zstd command line reads it too, checksums included.
        Sh.run(tmp, "zstd -q -t " + file);
    }

    @Test
    void theDefaultCompressionIsFramed() throws Exception {
        Path file = tmp.resolve("root.tar.zst");
        RootfsPacker.packDirectory(tree("a", 0), file, PackOptions.rootfs(OptionalLong.empty()), null);
        assertThat(ZstdFrames.of(file).size()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aFileThatIsNotZstdIsRefusedInOneLine() throws Exception {
        Path file = Files.write(tmp.resolve("x.tar.zst"), new byte[] {1, 2, 3, 4, 5});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ZstdFrames.of(file))
                .isInstanceOf(io.rocluster.RoclusterException.class).hasMessageContaining("not a zstd file");
    }

    private Path tree(String name, int seed) throws Exception {
        Path root = Files.createDirectories(tmp.resolve(name));
        Random r = new Random(seed);
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("big"));
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[r.nextInt(3000)];
            r.nextBytes(b);
            Files.write(root.resolve("etc/f" + i), b);
        }
        for (int i = 0; i < 3; i++) {
            byte[] b = new byte[300 << 10];
            r.nextBytes(b);
            Files.write(root.resolve("big/file" + i + ".bin"), b);
        }
        return root;
    }

    private static byte[] tar(Path root) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RootfsPacker.packDirectory(root, out, PackOptions.rootfs(OptionalLong.of(1_700_000_000L)), null);
        return out.toByteArray();
    }

    static List<byte[]> chunks(byte[] input, TarChunker.Params p, int writeSize) throws Exception {
        List<byte[]> out = new ArrayList<>();
        TarChunker c = new TarChunker(p, (data, len) -> out.add(java.util.Arrays.copyOf(data, len)));
        for (int i = 0; i < input.length; i += writeSize) {
            c.write(input, i, Math.min(writeSize, input.length - i));
        }
        c.finish();
        return out;
    }

    private static byte[] concat(List<byte[]> chunks) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        chunks.forEach(o::writeBytes);
        return o.toByteArray();
    }

    private static List<String> digests(List<byte[]> chunks) {
        return chunks.stream().map(TarChunkerTest::digest).toList();
    }

    private static String digest(byte[] b) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}

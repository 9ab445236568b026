package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelGzipOutputStreamTest {

    @TempDir
    Path tmp;

    /** Compressible text with repeats across block boundaries (the dictionary matters), plus random bytes. */
    private static byte[] sample(int size) {
        byte[] b = new byte[size];
        Random r = new Random(7);
        for (int i = 0; i < size; i++) {
            b[i] = i % 3000 < 2000 ? (byte) ("line " + (i / 97 % 50) + "\n").charAt(i % 7) : (byte) r.nextInt();
        }
        return b;
    }

    private static byte[] gzip(byte[] data, int threads, int chunk) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream z = new ParallelGzipOutputStream(out, 6, threads)) {
            for (int off = 0; off < data.length; off += chunk) {
                z.write(data, off, Math.min(chunk, data.length - off));
            }
        }
        return out.toByteArray();
    }

    @Test
    void roundTripsThroughTheJdkAndGunzip() throws Exception {
        for (int size : new int[] {0, 1, ParallelGzipOutputStream.BLOCK - 1, ParallelGzipOutputStream.BLOCK,
            3 * ParallelGzipOutputStream.BLOCK + 12345}) {
            byte[] data = sample(size);
            byte[] z = gzip(data, 2, 10_000);
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(z))) {
                assertThat(in.readAllBytes()).as("size " + size).isEqualTo(data);
            }
            Path f = tmp.resolve("x" + size + ".gz");
            Files.write(f, z);
            assertThat(Sh.run(tmp, "gzip -t " + f + " && gzip -dc " + f + " | sha256sum").substring(0, 64))
                    .isEqualTo(hex(data));
        }
    }

    @Test
    void sameBytesWhateverTheThreadsAndWriteSizes() throws Exception {
        byte[] data = sample(5 * ParallelGzipOutputStream.BLOCK + 999);
        byte[] one = gzip(data, 1, 1 << 20);
        assertThat(gzip(data, 2, 4096)).isEqualTo(one);
        assertThat(gzip(data, 4, 100_003)).isEqualTo(one);
    }

    @Test
    void compressesLikeSingleThreadedGzip() throws Exception {
        byte[] data = sample(20 * ParallelGzipOutputStream.BLOCK);
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(single)) {
            z.write(data);
        }
        assertThat((double) gzip(data, 2, 1 << 16).length).isLessThan(single.size() * 1.01);
    }

    private static String hex(byte[] data) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    }
}

package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void libcryptoIsFoundOnDebian12() {
        assertThat(Sha256.usesOpenSsl()).isTrue();
    }

    @Test
    void givesTheJdkDigestForEverySizeAndSplit() throws Exception {
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 55, 56, 63, 64, 65, 1000, (1 << 20) - 1, 1 << 20, (1 << 20) + 17, 3_000_001}) {
            byte[] data = new byte[size + 10];
            random.nextBytes(data);
            MessageDigest reference = MessageDigest.getInstance("SHA-256");
            reference.update(data, 5, size);
            Sha256 fast = Sha256.create();
            Sha256 jdk = Sha256.jdk();
            // Uneven pieces, offsets inside the array.
            int off = 5;
            int left = size;
            while (left > 0) {
                int n = Math.min(left, 1 + random.nextInt(700_000));
                fast.update(data, off, n);
                jdk.update(data, off, n);
                off += n;
                left -= n;
            }
            String expected = HexFormat.of().formatHex(reference.digest());
            assertThat(fast.hex()).as("size %d", size).isEqualTo(expected);
            assertThat(jdk.hex()).as("size %d", size).isEqualTo(expected);
        }
    }
}

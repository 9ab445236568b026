package io.rocluster.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it and, when given a digest, hashes them: deploy hashes the compressed rootfs
 * in its unpacking pass, a pull each blob as it streams in. Skipping reads, so that every byte is hashed.
 */
public class HashingInputStream extends FilterInputStream {

    private final Sha256 digest;
    private long count;

    /** @param digest hashes every byte read, or null to count only */
    public HashingInputStream(InputStream in, Sha256 digest) {
        super(in);
        this.digest = digest;
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            count += n;
            if (digest != null) {
                digest.update(b, off, n);
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
        long done = 0;
        while (done < n) {
            int k = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (k < 0) {
                break;
            }
            done += k;
        }
        return done;
    }

    /** Through {@link #read(byte[], int, int)}, so that every byte is counted and hashed whatever the JDK's default. */
    @Override
    public long transferTo(java.io.OutputStream out) throws IOException {
        byte[] buf = new byte[1 << 16];
        long done = 0;
        for (int k; (k = read(buf, 0, buf.length)) >= 0; ) {
            out.write(buf, 0, k);
            done += k;
        }
        return done;
    }
}

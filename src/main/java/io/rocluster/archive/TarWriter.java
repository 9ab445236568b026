package io.rocluster.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Writes a POSIX pax tar stream entry by entry, exactly as told: no sorting, no name checks, no clock.
 * It is the low-level half of the deterministic writer ({@link RootfsPacker} decides what goes in) and,
 * because it writes whatever it is given, also how tests craft hostile archives.
 *
 * <p>Everything goes through large buffers so that a file costs few {@code write} calls downstream
 * (a compressor behind it works best on big chunks); full buffers go to a second thread that computes the
 * SHA-256 of the uncompressed stream and feeds the compressor.
 */
public final class TarWriter implements AutoCloseable {

    private final Pipe.Writer pipe;
    private final Sha256 digest;
    private byte[] buf;
    private int pos;
    private long flushed;
    private long remaining;
    private long entrySize;
    private boolean finished;

    /** A writer onto {@code out}; {@link #finish()} writes the end-of-archive marker, never closes {@code out}. */
    public TarWriter(OutputStream out) throws IOException {
        this.digest = Sha256.create();
        this.pipe = new Pipe.Writer(out, digest);
        this.buf = pipe.firstBuffer();
    }

    /** Starts an entry; a regular file's {@code size} content bytes must follow before the next one. */
    public void putEntry(TarEntry e) throws IOException {
        closeEntry();
        put(TarHeaders.encode(e));
        entrySize = e.type() == FileEntry.Type.FILE ? e.size() : 0;
        remaining = entrySize;
    }

    /** Writes a prepared header block (or several) as is: for tests that need malformed archives. */
    void putRaw(byte[] blocks, long contentSize) throws IOException {
        closeEntry();
        put(blocks);
        entrySize = contentSize;
        remaining = contentSize;
    }

    /** Appends content bytes of the current entry. */
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > remaining) {
            throw new IllegalStateException("entry content exceeds its declared size " + entrySize);
        }
        remaining -= len;
        put(b, off, len);
    }

    /**
     * Copies exactly {@code n} content bytes from {@code in} straight into the output buffer, feeding
     * {@code fileDigest} (if not null) on the way.
     *
     * @throws java.io.EOFException if {@code in} ends early (a file that shrank while being packed)
     */
    void copyFrom(InputStream in, long n, Sha256 fileDigest) throws IOException {
        copy(n, (b, off, max) -> {
            int r = in.read(b, off, max);
            if (r > 0 && fileDigest != null) {
                fileDigest.update(b, off, r);
            }
            return r;
        });
    }

    /**
     * Copies exactly {@code n} content bytes of open file {@code fd} ({@code p}, for messages) into the output
     * buffer through native memory {@code scratch}, where {@code fileDigest} (if not null) hashes them first.
     *
     * @throws java.io.EOFException if the file ends early (it shrank while being packed)
     */
    void copyFrom(int fd, java.nio.file.Path p, long n, Sha256 fileDigest, com.sun.jna.Memory scratch)
            throws IOException {
        copy(n, (b, off, max) -> {
            int r = (int) NativeFiles.read(fd, scratch, (int) Math.min(max, scratch.size()), p);
            if (r > 0) {
                if (fileDigest != null) {
                    fileDigest.update(scratch, r);
                }
                scratch.read(0, b, off, r);
            }
            return r;
        });
    }

    /** Reads up to {@code max} bytes into {@code b} at {@code off} (hashing them as needed); 0 or less at the end. */
    private interface ContentSource {
        int read(byte[] b, int off, int max) throws IOException;
    }

    private void copy(long n, ContentSource source) throws IOException {
        if (n > remaining) {
            throw new IllegalStateException("entry content exceeds its declared size " + entrySize);
        }
        long left = n;
        while (left > 0) {
            if (pos == buf.length) {
                flushBuffer();
            }
            int r = source.read(buf, pos, (int) Math.min(left, buf.length - pos));
            if (r <= 0) {
                throw new java.io.EOFException((n - left) + " of " + n + " bytes");
            }
            pos += r;
            left -= r;
        }
        remaining -= n;
    }

    /** Ends the current entry: checks its size and pads it to a whole block. */
    private void closeEntry() throws IOException {
        if (remaining != 0) {
            throw new IllegalStateException("entry content is " + remaining + " bytes short of " + entrySize);
        }
        int pad = (int) ((TarHeaders.BLOCK - entrySize % TarHeaders.BLOCK) % TarHeaders.BLOCK);
        zeros(pad);
        entrySize = 0;
    }

    /** Ends the archive with two zero blocks and flushes; {@code out} stays open. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        closeEntry();
        zeros(2 * TarHeaders.BLOCK);
        flushBuffer();
        pipe.finish();
        finished = true;
    }

    /** Bytes of tar stream written so far (buffered included). */
    public long size() {
        return flushed + pos;
    }

    /** Lower-case hex SHA-256 of the whole uncompressed stream; valid after {@link #finish()}. */
    public String sha256Hex() {
        if (!finished) {
            throw new IllegalStateException("finish() first");
        }
        return digest.hex();
    }

    @Override
    public void close() throws IOException {
        finish();
    }

    /** Abandons the archive after a failure: nothing more is written, the writing thread ends. */
    public void abort() {
        finished = true;
        pipe.abort();
    }

    private void zeros(int n) throws IOException {
        while (n > 0) {
            if (pos == buf.length) {
                flushBuffer();
            }
            int k = Math.min(n, buf.length - pos);
            java.util.Arrays.fill(buf, pos, pos + k, (byte) 0);
            pos += k;
            n -= k;
        }
    }

    private void put(byte[] b) throws IOException {
        put(b, 0, b.length);
    }

    private void put(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (pos == buf.length) {
                flushBuffer();
            }
            int k = Math.min(len, buf.length - pos);
            System.arraycopy(b, off, buf, pos, k);
            pos += k;
            off += k;
            len -= k;
        }
    }

    private void flushBuffer() throws IOException {
        if (pos > 0) {
            // The digest and the compressor run on the pipe's thread while this one reads the next files.
            int n = pos;
            buf = pipe.handOff(buf, n);
            flushed += n;
            pos = 0;
        }
    }
}

package io.rocluster.registry;

import io.rocluster.archive.Sha256;
import io.rocluster.archive.ZstdFrames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The zstd frames of rootfs tarballs on this machine, by digest: what a push uploads frame by frame, and
 * what a pull copies instead of fetching when a version it already holds has the same frame.
 */
final class Frames {

    /** One frame of one file. */
    record Frame(Path file, long offset, long length, String digest) {
        /** The frame's bytes, read afresh on each call (an upload may be retried). */
        Supplier<InputStream> content() {
            return () -> {
                try {
                    return new RangeInputStream(FileChannel.open(file, StandardOpenOption.READ), offset, length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }
    }

    private final Map<String, Frame> byDigest = new HashMap<>();

    /** The frames of {@code rootfs}, in order, each with its digest (one sequential read of the file). */
    static List<Frame> of(Path rootfs) throws IOException {
        List<Frame> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(rootfs, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            for (ZstdFrames.Frame f : ZstdFrames.of(rootfs)) {
                Sha256 md = Sha256.create();
                long pos = f.offset();
                long end = f.offset() + f.length();
                while (pos < end) {
                    buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                    int n = ch.read(buf, pos);
                    if (n < 0) {
                        throw new java.io.EOFException(rootfs + " shrank while being read");
                    }
                    md.update(buf.array(), 0, n);
                    pos += n;
                }
                out.add(new Frame(rootfs, f.offset(), f.length(), "sha256:" + md.hex()));
            }
        }
        return out;
    }

    /** Adds the frames of a tarball this machine holds; one that cannot be read is skipped (it only saves bytes). */
    void addQuietly(Path rootfs) {
        try {
            for (Frame f : of(rootfs)) {
                byDigest.putIfAbsent(f.digest(), f);
            }
        } catch (IOException | RuntimeException unreadable) {
            // not a framed zstd file, or gone: its frames are fetched instead
        }
    }

    /** Adds one frame known to be on this machine. */
    void add(Frame f) {
        byDigest.putIfAbsent(f.digest(), f);
    }

    /** A local frame with this digest and length, or null. */
    Frame find(String digest, long length) {
        Frame f = byDigest.get(digest);
        return f != null && f.length() == length ? f : null;
    }

    int size() {
        return byDigest.size();
    }

    /** {@code length} bytes of a file from {@code offset}, through positional reads. */
    static final class RangeInputStream extends InputStream {
        private final FileChannel ch;
        private long pos;
        private final long end;

        RangeInputStream(FileChannel ch, long offset, long length) {
            this.ch = ch;
            this.pos = offset;
            this.end = offset + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= end) {
                return -1;
            }
            int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
            if (n < 0) {
                throw new java.io.EOFException("file shrank while being read");
            }
            pos += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}

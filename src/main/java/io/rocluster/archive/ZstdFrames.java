package io.rocluster.archive;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the frames of a zstd file lie, read from the frame and block headers alone (RFC 8878, section 3.1)
 * without decompressing: a rootfs tarball written by {@link FramedZstdOutputStream} is pushed to a registry
 * frame by frame. Skippable frames count as frames too (their bytes must survive a round trip).
 */
public final class ZstdFrames {

    /** One frame: its offset and length in the file. */
    public record Frame(long offset, long length) {}

    private static final int MAGIC = 0xFD2FB528;
    private static final int SKIPPABLE_MASK = 0xFFFFFFF0;
    private static final int SKIPPABLE = 0x184D2A50;

    private ZstdFrames() {}

    /**
     * The frames of {@code file}, in order; together they cover it exactly.
     *
     * @throws RoclusterException when the file is not a sequence of zstd frames
     */
    public static List<Frame> of(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            List<Frame> frames = new ArrayList<>();
            long pos = 0;
            ByteBuffer b = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
            while (pos < size) {
                long start = pos;
                int magic = readAt(ch, b, pos, 4).getInt(0);
                if ((magic & SKIPPABLE_MASK) == SKIPPABLE) {
                    pos += 8 + (readAt(ch, b, pos + 4, 4).getInt(0) & 0xffffffffL);
                } else if (magic == MAGIC) {
                    pos = frameEnd(ch, b, pos + 4, file);
                } else {
                    throw bad(file, start, "no zstd frame starts here");
                }
                if (pos > size) {
                    throw bad(file, start, "the frame runs past the end of the file");
                }
                frames.add(new Frame(start, pos - start));
            }
            return frames;
        }
    }

    private static long frameEnd(FileChannel ch, ByteBuffer b, long pos, Path file) throws IOException {
        int descriptor = readAt(ch, b, pos, 1).get(0) & 0xff;
        int fcsFlag = descriptor >>> 6;
        boolean singleSegment = (descriptor & 0x20) != 0;
        boolean checksum = (descriptor & 0x04) != 0;
        int dictFlag = descriptor & 0x03;
        int header = 1 + (singleSegment ? 0 : 1) + new int[] {0, 1, 2, 4}[dictFlag]
                + switch (fcsFlag) {
                    case 0 -> singleSegment ? 1 : 0;
                    case 1 -> 2;
                    case 2 -> 4;
                    default -> 8;
                };
        pos += header;
        while (true) {
            ByteBuffer h = readAt(ch, b, pos, 3);
            int bh = (h.get(0) & 0xff) | (h.get(1) & 0xff) << 8 | (h.get(2) & 0xff) << 16;
            boolean last = (bh & 1) != 0;
            int type = bh >>> 1 & 3;
            int blockSize = bh >>> 3;
            if (type == 3) {
                throw bad(file, pos, "reserved block type");
            }
            pos += 3 + (type == 1 ? 1 : blockSize);
            if (last) {
                return pos + (checksum ? 4 : 0);
            }
        }
    }

    private static ByteBuffer readAt(FileChannel ch, ByteBuffer b, long pos, int n) throws IOException {
        b.clear().limit(n);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new java.io.EOFException("zstd file ends inside a frame header at byte " + pos);
            }
        }
        return b;
    }

    private static RoclusterException bad(Path file, long at, String what) {
        return new RoclusterException(file + ": not a zstd file at byte " + at + " (" + what + ")");
    }
}

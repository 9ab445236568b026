package io.rocluster.archive;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts a tar stream into content-defined chunks, so that two versions of a root share most chunks and a
 * registry stores (and a puller fetches) only the chunks that changed. Each chunk later becomes one zstd
 * frame of the rootfs tarball ({@link FramedZstdOutputStream}) and one registry blob.
 *
 * <p>Cuts fall only on 512-byte block boundaries (tar's own unit, so a file inserted or removed shifts the
 * rest by whole blocks and the cuts resynchronise at once), where a hash of the block just ended has its
 * low bits zero. The tar structure is followed as the bytes pass: the data of a regular file of at least
 * {@link Params#bigFile} bytes always starts and ends a chunk, so that such a file whose header changed
 * (a new mtime, owner or xattr, common between nightlies) still shares its data chunks, and the headers and
 * small files between big files form their own smaller chunks. A stream that stops looking like tar (a
 * bad header checksum) is cut by the hash alone: the chunking only affects sharing, never the bytes.
 *
 * <p>The cut points depend only on the bytes and the parameters, never on how the writes are split.
 */
public final class TarChunker {

    /**
     * Chunking parameters; sizes in bytes, multiples of 512.
     *
     * @param smallMin minimum chunk of headers and small files
     * @param smallAvg average chunk of headers and small files (above the minimum)
     * @param dataMin  minimum chunk inside a big file's data
     * @param dataAvg  average chunk inside a big file's data
     * @param max      maximum chunk of any kind
     * @param bigFile  files at least this big get chunks of their own
     */
    public record Params(int smallMin, int smallAvg, int dataMin, int dataAvg, int max, long bigFile) {
        /** The defaults, chosen by measuring two debian12 versions (README, "Registries"). */
        public static final Params DEFAULT = new Params(32 << 10, 128 << 10, 512 << 10, 1 << 20, 8 << 20, 128 << 10);

        public Params {
            for (long v : new long[] {smallMin, smallAvg, dataMin, dataAvg, max, bigFile}) {
                if (v <= 0 || v % BLOCK != 0) {
                    throw new IllegalArgumentException("chunk sizes are positive multiples of 512: " + v);
                }
            }
        }
    }

    /** Receives each chunk; {@code data} is valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        void chunk(byte[] data, int length) throws java.io.IOException;
    }

    static final int BLOCK = 512;
    private static final long MIX = 0x9E3779B97F4A7C15L;
    /** pax data larger than this is not searched for a size record (ours are a few hundred bytes). */
    private static final int MAX_PAX = 1 << 20;

    private enum Mode { HEADER, DATA, BIG_DATA, END, BLIND }

    private final Params params;
    private final long smallMask;
    private final long dataMask;
    private final Sink sink;
    private final ByteBuffer view;
    private byte[] buf;
    private int len;
    /** Bytes of the current block not yet complete, at the end of {@link #buf}. */
    private int blockFill;
    private Mode mode = Mode.HEADER;
    private long dataBlocksLeft;
    private boolean paxData;
    private byte[] pax = new byte[0];
    private int paxLen;
    private long paxSize = -1;

    public TarChunker(Params params, Sink sink) {
        this.params = params;
        this.sink = sink;
        this.smallMask = mask(params.smallAvg());
        this.dataMask = mask(params.dataAvg());
        this.buf = new byte[params.max()];
        this.view = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long mask(int avg) {
        int blocks = Math.max(1, avg / BLOCK);
        return Long.highestOneBit(blocks) - 1;
    }

    /** Adds bytes of the tar stream. */
    public void write(byte[] b, int off, int n) throws java.io.IOException {
        while (n > 0) {
            int k = Math.min(n, BLOCK - blockFill);
            System.arraycopy(b, off, buf, len, k);
            len += k;
            blockFill += k;
            off += k;
            n -= k;
            if (blockFill == BLOCK) {
                blockFill = 0;
                block(len - BLOCK);
            }
        }
    }

    /** Emits what is left as the last chunk. */
    public void finish() throws java.io.IOException {
        blockFill = 0;
        emit();
    }

    /** One complete block at {@code buf[at..at+512)}: follow the tar structure, then decide whether to cut. */
    private void block(int at) throws java.io.IOException {
        switch (mode) {
            case HEADER -> header(at);
            case DATA -> {
                if (paxData) {
                    collectPax(at);
                }
                if (--dataBlocksLeft == 0) {
                    mode = Mode.HEADER;
                    if (paxData) {
                        paxSize = paxSizeRecord();
                        paxData = false;
                    }
                }
                cutByHash(at, params.smallMin(), smallMask);
            }
            case BIG_DATA -> {
                if (--dataBlocksLeft == 0) {
                    mode = Mode.HEADER;
                    emit();
                } else {
                    cutByHash(at, params.dataMin(), dataMask);
                }
            }
            case END -> cutAtMax();
            case BLIND -> cutByHash(at, params.smallMin(), smallMask);
        }
    }

    private void header(int at) throws java.io.IOException {
        if (allZero(at)) {
            mode = Mode.END;
            cutAtMax();
            return;
        }
        if (!checksumOk(at)) {
            mode = Mode.BLIND;
            cutByHash(at, params.smallMin(), smallMask);
            return;
        }
        byte type = buf[at + 156];
        long size = number(at + 124, 12);
        if (size < 0) {
            mode = Mode.BLIND;
            cutByHash(at, params.smallMin(), smallMask);
            return;
        }
        boolean regular = type == '0' || type == 0 || type == '7';
        if (regular && paxSize >= 0) {
            size = paxSize;
        }
        if (type != 'x') {
            paxSize = -1;
        }
        dataBlocksLeft = (size + BLOCK - 1) / BLOCK;
        if (dataBlocksLeft == 0) {
            cutByHash(at, params.smallMin(), smallMask);
            return;
        }
        if (regular && size >= params.bigFile()) {
            mode = Mode.BIG_DATA;
            emit();
            return;
        }
        mode = Mode.DATA;
        paxData = type == 'x';
        paxLen = 0;
        if (paxData && size > MAX_PAX) {
            paxData = false;
        }
        cutByHash(at, params.smallMin(), smallMask);
    }

    private void cutByHash(int at, int min, long mask) throws java.io.IOException {
        if (len >= params.max() || len >= min && (hash(at) & mask) == 0) {
            emit();
        }
    }

    private void cutAtMax() throws java.io.IOException {
        if (len >= params.max()) {
            emit();
        }
    }

    private void emit() throws java.io.IOException {
        if (len == 0) {
            return;
        }
        // Called between blocks, or by finish for the tail: buf holds exactly the chunk.
        sink.chunk(buf, len);
        len = 0;
    }

    private long hash(int at) {
        long h = 0x2545F4914F6CDD1DL;
        for (int i = 0; i < BLOCK; i += 8) {
            h = (h ^ view.getLong(at + i)) * MIX;
            h ^= h >>> 29;
        }
        return h;
    }

    private boolean allZero(int at) {
        for (int i = 0; i < BLOCK; i += 8) {
            if (view.getLong(at + i) != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean checksumOk(int at) {
        long stored = number(at + 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : buf[at + i] & 0xff;
        }
        return stored == sum;
    }

    /** A tar number field: octal digits (space or NUL padded), or base-256 when the high bit is set; -1 if neither. */
    private long number(int off, int width) {
        if ((buf[off] & 0x80) != 0) {
            long v = buf[off] & 0x3f;
            for (int i = 1; i < width; i++) {
                v = v << 8 | buf[off + i] & 0xff;
            }
            return v < 0 ? -1 : v;
        }
        long v = 0;
        boolean digits = false;
        for (int i = 0; i < width; i++) {
            byte c = buf[off + i];
            if (c >= '0' && c <= '7') {
                v = v * 8 + (c - '0');
                digits = true;
            } else if (c == ' ' && !digits) {
                continue;
            } else if (c == 0 || c == ' ') {
                break;
            } else {
                return -1;
            }
        }
        return v;
    }

    private void collectPax(int at) {
        if (paxLen + BLOCK > pax.length) {
            pax = Arrays.copyOf(pax, Math.max(pax.length * 2, paxLen + BLOCK));
        }
        System.arraycopy(buf, at, pax, paxLen, BLOCK);
        paxLen += BLOCK;
    }

    /** The value of a {@code size} record in the collected pax data, or -1. Records: "LEN key=value\n". */
    private long paxSizeRecord() {
        int i = 0;
        while (i < paxLen && pax[i] != 0) {
            int sp = i;
            long recLen = 0;
            while (sp < paxLen && pax[sp] >= '0' && pax[sp] <= '9') {
                recLen = recLen * 10 + (pax[sp] - '0');
                sp++;
            }
            if (sp >= paxLen || pax[sp] != ' ' || recLen <= 0 || i + recLen > paxLen) {
                return -1;
            }
            int end = (int) (i + recLen);
            String rec = new String(pax, sp + 1, end - sp - 2, StandardCharsets.ISO_8859_1);
            if (rec.startsWith("size=")) {
                try {
                    return Long.parseLong(rec.substring(5));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            i = end;
        }
        return -1;
    }
}

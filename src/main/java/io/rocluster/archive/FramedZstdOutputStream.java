package io.rocluster.archive;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * zstd as a sequence of independent frames, one per content-defined chunk of the tar ({@link TarChunker}),
 * compressed on every processor. Any zstd reader decompresses the concatenation as one stream; rocluster's
 * registry code ({@code rocluster push}) stores each frame as one blob, so two versions share the frames of
 * their shared chunks and a pulled tarball is the frames concatenated again, byte for byte.
 *
 * <p>A frame's bytes depend only on its chunk, the level and the zstd library (never on the number of
 * threads or their timing), so a tarball stays reproducible. Each frame records its content size and an
 * xxhash checksum, as the zstd command line does by default.
 *
 * <p>Closing finishes the stream and closes {@code out}.
 */
final class FramedZstdOutputStream extends OutputStream {

    private final OutputStream out;
    private final int level;
    private final OrderedPieces frames;
    private final TarChunker chunker;
    private boolean closed;
    private boolean anyFrame;

    FramedZstdOutputStream(OutputStream out, int level, int threads, TarChunker.Params params) {
        this.out = out;
        this.level = level;
        this.frames = new OrderedPieces(out, threads, "rocluster-zstd");
        this.chunker = new TarChunker(params, this::submit);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        chunker.write(b, off, len);
    }

    private void submit(byte[] data, int length) throws IOException {
        anyFrame = true;
        byte[] chunk = Arrays.copyOf(data, length);
        int lvl = level;
        frames.submit(() -> compress(chunk, lvl));
    }

    static byte[] compress(byte[] chunk, int level) {
        byte[] dst = new byte[(int) Zstd.compressBound(chunk.length)];
        long n = Zstd.compressByteArray(dst, 0, dst.length, chunk, 0, chunk.length, level, true);
        if (Zstd.isError(n)) {
            throw new IllegalStateException("zstd: " + Zstd.getErrorName(n));
        }
        return Arrays.copyOf(dst, (int) n);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            chunker.finish();
            if (!anyFrame) {
                submit(new byte[0], 0); // an empty input is still one valid zstd frame
            }
            frames.drain();
            out.close();
        } finally {
            frames.close();
        }
    }
}

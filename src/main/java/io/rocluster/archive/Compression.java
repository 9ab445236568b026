package io.rocluster.archive;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.rocluster.RoclusterException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Compression of a rootfs tarball: chosen from the file name when writing, recognised by its magic bytes
 * when reading (so a renamed file still opens).
 */
public enum Compression {
    /**
     * zstd level 3, one independent frame per content-defined chunk of the tar, compressed on every processor:
     * the default, fast both ways, and shared frame by frame between versions in a registry.
     */
    ZSTD(".tar.zst"),
    /** gzip (blocks deflated in parallel, as pigz does), for consumers without zstd. */
    GZIP(".tar.gz"),
    /** xz: read only (some distributions ship root tarballs so). */
    XZ(".tar.xz"),
    /** bzip2: read only (older vendor root tarballs). */
    BZIP2(".tar.bz2"),
    /** plain tar. */
    NONE(".tar");

    static final int ZSTD_LEVEL = 3;
    /** gzip's and pigz's default. */
    static final int GZIP_LEVEL = 6;

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    /** The file name suffix, e.g. {@code .tar.zst}. */
    public String suffix() {
        return suffix;
    }

    /** The compression an output file name asks for. */
    public static Compression forOutput(Path file) {
        String n = file.getFileName().toString();
        if (n.endsWith(".tar.zst") || n.endsWith(".tzst")) {
            return ZSTD;
        }
        if (n.endsWith(".tar.gz") || n.endsWith(".tgz")) {
            return GZIP;
        }
        if (n.endsWith(".tar")) {
            return NONE;
        }
        throw new RoclusterException("cannot tell the compression of '" + n
                + "': name the output *.tar.zst (default), *.tar.gz or *.tar");
    }

    /** Wraps {@code out} in this compressor; closing the result finishes the compressed stream and closes {@code out}. */
    public OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case ZSTD -> new FramedZstdOutputStream(out, ZSTD_LEVEL, Runtime.getRuntime().availableProcessors(),
                    TarChunker.Params.DEFAULT);
            case GZIP -> new ParallelGzipOutputStream(out, GZIP_LEVEL, Runtime.getRuntime().availableProcessors());
            case NONE -> out;
            case XZ, BZIP2 -> throw new RoclusterException("rocluster does not write " + suffix
                    + "; use .tar.zst or .tar.gz");
        };
    }

    /**
     * Recognises zstd, gzip, xz or bzip2 by magic bytes and decompresses; a compressor rocluster does not
     * read (lz4, lzip, compress, lzma) is refused by name; anything else is read as plain tar.
     */
    public static InputStream decompress(InputStream in) throws IOException {
        BufferedInputStream b = in instanceof BufferedInputStream bi ? bi : new BufferedInputStream(in, 1 << 16);
        Compression c = detect(b);
        return switch (c) {
            case ZSTD -> new Checked(new ZstdInputStreamNoFinalizer(b), c);
            case GZIP -> new Checked(new GZIPInputStream(b, 1 << 16), c);
            case XZ -> new Checked(new XZInputStream(b), c);
            case BZIP2 -> new Checked(new BZip2CompressorInputStream(b, true), c);
            case NONE -> {
                refuseUnsupported(b);
                yield b;
            }
        };
    }

    /**
     * Without this, such a file reads as a tar archive with a bad checksum, and the message would send the
     * user after a damaged download.
     */
    private static void refuseUnsupported(BufferedInputStream in) throws IOException {
        in.mark(8);
        byte[] m = in.readNBytes(6);
        in.reset();
        String what = null;
        String tool = null;
        if (m.length >= 4 && (m[0] & 0xff) == 0x04 && (m[1] & 0xff) == 0x22 && (m[2] & 0xff) == 0x4d
                && (m[3] & 0xff) == 0x18) {
            what = "lz4";
            tool = "lz4 -d";
        } else if (m.length >= 4 && m[0] == 'L' && m[1] == 'Z' && m[2] == 'I' && m[3] == 'P') {
            what = "lzip";
            tool = "lzip -d";
        } else if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x9d) {
            what = "compress (.Z)";
            tool = "uncompress";
        } else if (m.length >= 3 && (m[0] & 0xff) == 0x5d && m[1] == 0 && m[2] == 0) {
            what = "lzma";
            tool = "unlzma";
        }
        if (what != null) {
            throw new RoclusterException("the archive is " + what + "-compressed, which rocluster does not read;"
                    + " decompress it first (" + tool + ") or recompress it with zstd, gzip, xz or bzip2");
        }
    }

    /**
     * A decompressor's complaint (bad magic, checksum, truncation) is about the file, not the machine:
     * reported as one line naming the compression.
     */
    private static final class Checked extends java.io.FilterInputStream {
        private final Compression c;

        Checked(InputStream in, Compression c) {
            super(in);
            this.c = c;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw damaged(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw damaged(e);
            }
        }

        private RoclusterException damaged(IOException e) {
            String name = c.name().toLowerCase(java.util.Locale.ROOT);
            return new RoclusterException("corrupt or truncated " + name + " data (" + e.getMessage()
                    + "); the file is damaged, fetch or rebuild it", e);
        }
    }

    /**
     * Peeks at the first bytes of a mark-supporting stream. A zstd stream may begin with skippable frames
     * (magic 0x184D2A50 to 0x184D2A5F, little-endian; pzstd writes one before each frame), which the
     * decompressor passes over.
     */
    public static Compression detect(InputStream in) throws IOException {
        in.mark(8);
        byte[] m = in.readNBytes(6);
        in.reset();
        if (m.length >= 4 && ((m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f
                && (m[3] & 0xff) == 0xfd
                || (m[0] & 0xf0) == 0x50 && (m[1] & 0xff) == 0x2a && (m[2] & 0xff) == 0x4d && (m[3] & 0xff) == 0x18)) {
            return ZSTD;
        }
        if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (m.length >= 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z'
                && m[5] == 0) {
            return XZ;
        }
        if (m.length >= 4 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h' && m[3] >= '1' && m[3] <= '9') {
            return BZIP2;
        }
        return NONE;
    }
}

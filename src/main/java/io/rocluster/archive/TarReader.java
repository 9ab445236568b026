package io.rocluster.archive;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a tar stream losslessly: ustar and old GNU headers, pax {@code x}/{@code g} records (values kept
 * as bytes, so {@code SCHILY.xattr.security.capability} survives), GNU long names ({@code L}/{@code K}),
 * base-256 numbers. One large buffer, streaming: memory stays bounded whatever the archive holds.
 *
 * <p>Corrupt or truncated input is a {@link RoclusterException} naming the byte offset.
 */
public final class TarReader implements AutoCloseable {

    private static final int BUFFER = 1 << 20;

    private final InputStream in;
    private final Sha256 digest;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    /** Stream offset of buf[0]. */
    private long base;
    private boolean eof;

    private long contentLeft;
    private long padding;
    private boolean ended;
    private TarEntry current;
    private final Map<String, byte[]> globalPax = new LinkedHashMap<>();

    /** A reader of an uncompressed tar stream (see {@link Compression#decompress}). */
    public TarReader(InputStream in) {
        this(in, Sha256.create());
    }

    /** A reader that computes {@code digest} over the stream ({@link Sha256#NONE}: no stream digest). */
    TarReader(InputStream in, Sha256 digest) {
        this.digest = digest;
        // Decompression and the stream digest run ahead on their own thread.
        this.in = new Pipe.Reader(in, digest);
    }

    /** Bytes of the tar stream consumed so far. */
    public long position() {
        return base + pos;
    }

    /**
     * The next entry, or null at the end-of-archive marker. Unread content of the previous entry is skipped.
     *
     * @throws RoclusterException for a corrupt or truncated archive, or an entry kind rocluster does not
     *                            support (sparse files, volume labels)
     */
    public TarEntry next() throws IOException {
        if (ended) {
            return null;
        }
        skip(contentLeft + padding);
        contentLeft = 0;
        padding = 0;
        Map<String, byte[]> pax = new LinkedHashMap<>(globalPax);
        byte[] longName = null;
        byte[] longLink = null;
        while (true) {
            long at = position();
            if (!ensure(TarHeaders.BLOCK)) {
                throw truncated(at, current == null
                        ? "it is empty or not a tar archive"
                        : "it ends without the end-of-archive marker");
            }
            if (zeroBlock(pos)) {
                pos += TarHeaders.BLOCK;
                ended = true;
                current = null;
                drain();
                return null;
            }
            verifyChecksum(at);
            char flag = (char) (buf[pos + 156] & 0xff);
            long size = number(pos + 124, 12, at);
            boolean ustar = buf[pos + 257] == 'u' && buf[pos + 258] == 's' && buf[pos + 259] == 't'
                    && buf[pos + 260] == 'a' && buf[pos + 261] == 'r' && buf[pos + 262] == 0;
            int h = pos;
            pos += TarHeaders.BLOCK;
            switch (flag) {
                case 'x', 'g' -> {
                    Map<String, byte[]> records = parsePax(readSmall(size, at), at);
                    (flag == 'g' ? globalPax : pax).putAll(records);
                    if (flag == 'g') {
                        pax.putAll(records);
                    }
                    continue;
                }
                case 'L' -> {
                    longName = cstring(readSmall(size, at));
                    continue;
                }
                case 'K' -> {
                    longLink = cstring(readSmall(size, at));
                    continue;
                }
                default -> { }
            }
            byte[] nameBytes = longName != null ? longName : field(h, 0, 100);
            if (longName == null && ustar) {
                byte[] prefix = field(h, 345, 155);
                if (prefix.length > 0) {
                    nameBytes = concat(prefix, nameBytes);
                }
            }
            byte[] linkBytes = longLink != null ? longLink : field(h, 157, 100);
            FileEntry.Type type = type(flag, nameBytes, at);
            int mode = (int) (number(h + 100, 8, at) & 07777);
            long uid = number(h + 108, 8, at);
            long gid = number(h + 116, 8, at);
            long mtime = number(h + 136, 12, at);
            int major = (int) number(h + 329, 8, at);
            int minor = (int) number(h + 337, 8, at);
            Map<String, byte[]> xattrs = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> r : pax.entrySet()) {
                String k = r.getKey();
                byte[] v = r.getValue();
                switch (k) {
                    case "path" -> nameBytes = v;
                    case "linkpath" -> linkBytes = v;
                    case "size" -> size = decimal(v, k, at);
                    case "uid" -> uid = decimal(v, k, at);
                    case "gid" -> gid = decimal(v, k, at);
                    case "mtime" -> mtime = seconds(v, at);
                    case "SCHILY.devmajor" -> major = (int) decimal(v, k, at);
                    case "SCHILY.devminor" -> minor = (int) decimal(v, k, at);
                    case "RHT.security.selinux" -> xattrs.put("security.selinux", v);
                    default -> {
                        if (k.startsWith(TarHeaders.XATTR_PREFIX)) {
                            xattrs.put(k.substring(TarHeaders.XATTR_PREFIX.length()), v);
                        } else if (k.startsWith("LIBARCHIVE.xattr.")) {
                            xattrs.put(java.net.URLDecoder.decode(k.substring(17), StandardCharsets.UTF_8),
                                    Base64.getDecoder().decode(trimBase64(v)));
                        } else if (k.startsWith("GNU.sparse.")) {
                            throw new RoclusterException("unsupported sparse file in archive at byte " + at
                                    + "; pack the root with rocluster pack");
                        }
                    }
                }
            }
            if (size < 0) {
                throw corrupt(at, "negative size");
            }
            contentLeft = size;
            padding = (TarHeaders.BLOCK - size % TarHeaders.BLOCK) % TarHeaders.BLOCK;
            String name = utf8(nameBytes, at);
            String link = type == FileEntry.Type.SYMLINK || type == FileEntry.Type.HARDLINK
                    ? utf8(linkBytes, at) : null;
            boolean device = type == FileEntry.Type.CHAR_DEVICE || type == FileEntry.Type.BLOCK_DEVICE;
            current = new TarEntry(name, type, mode, uid, gid, type == FileEntry.Type.FILE ? size : 0, mtime,
                    link, device ? major : 0, device ? minor : 0, xattrs);
            if (type != FileEntry.Type.FILE) {
                // Content of a non-file (a pax "hardlink with data", a dumpdir) is not part of the tree.
                long skipped = contentLeft;
                contentLeft = 0;
                skip(skipped);
            }
            return current;
        }
    }

    /** Reads content of the current entry; -1 at its end. */
    public int read(byte[] b, int off, int len) throws IOException {
        if (contentLeft == 0) {
            return -1;
        }
        if (pos == limit) {
            if (!fill()) {
                throw truncated(position(), "an entry's content is cut short");
            }
        }
        int n = (int) Math.min(Math.min(len, limit - pos), contentLeft);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        contentLeft -= n;
        return n;
    }

    /** Receives content straight from the read buffer. */
    public interface ChunkSink {
        void accept(byte[] b, int off, int len) throws IOException;
    }

    /** Hands the rest of the current entry's content to {@code sink} chunk by chunk, without copying. */
    public void transferContent(ChunkSink sink) throws IOException {
        while (contentLeft > 0) {
            if (pos == limit && !fill()) {
                throw truncated(position(), "an entry's content is cut short");
            }
            int n = (int) Math.min(limit - pos, contentLeft);
            sink.accept(buf, pos, n);
            pos += n;
            contentLeft -= n;
        }
    }

    /** The current entry's remaining content as a stream (not to be closed by the caller's caller). */
    public InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = TarReader.this.read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return TarReader.this.read(b, off, len);
            }
        };
    }

    /**
     * Lower-case hex SHA-256 of the whole tar stream, available once {@link #next()} returned null (the
     * rest of the input is read up to its end).
     */
    public String sha256Hex() {
        if (!ended) {
            throw new IllegalStateException("read to the end first");
        }
        return digest.hex();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Stops the read-ahead thread without closing the source stream, which belongs to the caller. */
    void abandon() {
        ((Pipe.Reader) in).stop();
    }

    // ---- buffer management ------------------------------------------------------------------

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos == limit) {
            base += limit;
            pos = 0;
            limit = 0;
        } else if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            base += pos;
            limit -= pos;
            pos = 0;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    private boolean ensure(int n) throws IOException {
        while (limit - pos < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == limit && !fill()) {
                throw truncated(position(), "an entry's content is cut short");
            }
            int k = (int) Math.min(n, limit - pos);
            pos += k;
            n -= k;
        }
    }

    /** Reads the rest of the input so the digest covers the whole stream (e.g. GNU tar's record padding). */
    private void drain() throws IOException {
        pos = limit;
        while (fill()) {
            pos = limit;
        }
    }

    private byte[] readSmall(long size, long at) throws IOException {
        if (size > 16L << 20) {
            throw corrupt(at, "an extended header of " + size + " bytes");
        }
        byte[] out = new byte[(int) size];
        int off = 0;
        while (off < out.length) {
            if (pos == limit && !fill()) {
                throw truncated(position(), "an extended header is cut short");
            }
            int k = Math.min(out.length - off, limit - pos);
            System.arraycopy(buf, pos, out, off, k);
            pos += k;
            off += k;
        }
        skip((TarHeaders.BLOCK - size % TarHeaders.BLOCK) % TarHeaders.BLOCK);
        return out;
    }

    // ---- header fields ----------------------------------------------------------------------

    private boolean zeroBlock(int at) {
        for (int i = at; i < at + TarHeaders.BLOCK; i++) {
            if (buf[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private void verifyChecksum(long at) {
        long stored = number(pos + 148, 8, at);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < TarHeaders.BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : buf[pos + i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw corrupt(at, "bad header checksum");
        }
    }

    private byte[] field(int off, int start, int len) {
        int end = off + start;
        while (end < off + start + len && buf[end] != 0) {
            end++;
        }
        return java.util.Arrays.copyOfRange(buf, off + start, end);
    }

    /** An octal field (NUL/space padded) or a base-256 one (first byte's high bit set). */
    private long number(int off, int len, long at) {
        if ((buf[off] & 0x80) != 0) {
            long v = buf[off] & 0x3f;
            boolean negative = (buf[off] & 0x40) != 0;
            if (negative) {
                v |= ~0x3fL;
            }
            for (int i = 1; i < len; i++) {
                v = (v << 8) | (buf[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (buf[i] == ' ' || buf[i] == 0)) {
            i++;
        }
        for (; i < end && buf[i] != 0 && buf[i] != ' '; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 7) {
                throw corrupt(at, "a non-octal number field");
            }
            v = (v << 3) | d;
        }
        return v;
    }

    private FileEntry.Type type(char flag, byte[] name, long at) {
        return switch (flag) {
            case '0', 0, '7' -> name.length > 0 && name[name.length - 1] == '/'
                    ? FileEntry.Type.DIRECTORY : FileEntry.Type.FILE;
            case '1' -> FileEntry.Type.HARDLINK;
            case '2' -> FileEntry.Type.SYMLINK;
            case '3' -> FileEntry.Type.CHAR_DEVICE;
            case '4' -> FileEntry.Type.BLOCK_DEVICE;
            case '5', 'D' -> FileEntry.Type.DIRECTORY;
            case '6' -> FileEntry.Type.FIFO;
            case 'S' -> throw new RoclusterException("unsupported sparse file in archive at byte " + at
                    + "; pack the root with rocluster pack");
            default -> throw new RoclusterException("unsupported tar entry type '" + flag + "' at byte " + at
                    + "; rocluster reads files, directories, links, devices and FIFOs");
        };
    }

    private Map<String, byte[]> parsePax(byte[] data, long at) {
        Map<String, byte[]> out = new HashMap<>();
        int i = 0;
        while (i < data.length) {
            int sp = i;
            long len = 0;
            while (sp < data.length && data[sp] >= '0' && data[sp] <= '9') {
                len = len * 10 + (data[sp] - '0');
                sp++;
            }
            if (sp >= data.length || data[sp] != ' ' || len <= 0 || i + len > data.length
                    || data[(int) (i + len - 1)] != '\n') {
                if (sp < data.length && data[i] == 0) {
                    break; // NUL padding some writers leave
                }
                throw corrupt(at, "a malformed pax record");
            }
            int end = (int) (i + len - 1);
            int eq = sp + 1;
            while (eq < end && data[eq] != '=') {
                eq++;
            }
            if (eq >= end) {
                throw corrupt(at, "a pax record without '='");
            }
            String key = new String(data, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            out.put(key, java.util.Arrays.copyOfRange(data, eq + 1, end));
            i = (int) (i + len);
        }
        return out;
    }

    private static long decimal(byte[] v, String key, long at) {
        try {
            return Long.parseLong(new String(v, StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            throw corrupt(at, "a non-numeric pax " + key);
        }
    }

    /** pax times may carry a fraction ("1700000000.5", "-1.5"): whole seconds towards the past. */
    private static long seconds(byte[] v, long at) {
        try {
            return new java.math.BigDecimal(new String(v, StandardCharsets.US_ASCII).trim())
                    .setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw corrupt(at, "a non-numeric pax mtime");
        }
    }

    private static byte[] trimBase64(byte[] v) {
        String s = new String(v, StandardCharsets.US_ASCII).trim();
        int pad = (4 - s.length() % 4) % 4;
        return (s + "==".substring(0, Math.min(pad, 2))).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] cstring(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return java.util.Arrays.copyOf(b, n);
    }

    private static byte[] concat(byte[] prefix, byte[] name) {
        byte[] out = new byte[prefix.length + 1 + name.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        out[prefix.length] = '/';
        System.arraycopy(name, 0, out, prefix.length + 1, name.length);
        return out;
    }

    private static String utf8(byte[] b, long at) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new RoclusterException("entry name at byte " + at + " is not valid UTF-8;"
                    + " rocluster archives store UTF-8 names");
        }
    }

    private static RoclusterException corrupt(long at, String what) {
        return new RoclusterException("corrupt tar archive: " + what + " at byte " + at
                + "; the file is damaged, fetch or rebuild it");
    }

    private static RoclusterException truncated(long at, String what) {
        return new RoclusterException("truncated tar archive at byte " + at + ": " + what
                + "; the file is incomplete, fetch or rebuild it");
    }
}

package io.rocluster.archive;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a tar stream losslessly: V7, ustar, star and GNU headers, pax {@code x}/{@code g} records (values
 * kept as bytes, so {@code SCHILY.xattr.security.capability} survives), POSIX ACLs from
 * {@code SCHILY.acl.*}, GNU long names ({@code L}/{@code K}), base-256 numbers. One large buffer,
 * streaming: memory stays bounded whatever the archive holds.
 *
 * <p>Where GNU tar and libarchive agree on how to read something, this reads it the same way (the
 * README's "The rootfs tarball" lists each case). Corrupt or truncated input, and what rocluster does not
 * restore (sparse files, multi-volume parts, unknown entry types), is a {@link RoclusterException} of one
 * line naming the byte offset and what the archive uses; what it reads past without restoring (a volume
 * label, NFSv4 ACLs, unknown pax keywords) is reported by {@link #warnings()}.
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
    /** An 'x' or 'g' header was seen: a pax interchange archive, where a hardlink's size is its data's. */
    private boolean paxSeen;
    private Map<String, PosixAcl> namedAcls = Map.of();
    private final ArchiveWarnings warnings = new ArchiveWarnings();

    /** Largest uid or gid: 2^32 - 2, as (uid_t) -1 means "unchanged" to chown. */
    private static final long MAX_ID = 0xfffffffeL;

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
     *                            support (sparse files, multi-volume parts, unknown types), each naming
     *                            what the archive uses
     */
    public TarEntry next() throws IOException {
        if (ended) {
            return null;
        }
        skip(contentLeft + padding);
        contentLeft = 0;
        padding = 0;
        namedAcls = Map.of();
        Map<String, byte[]> pax = null;
        long paxAt = -1;
        byte[] longName = null;
        byte[] longLink = null;
        while (true) {
            long at = position();
            boolean pending = pax != null || longName != null || longLink != null;
            if (!ensure(TarHeaders.BLOCK)) {
                throw truncated(at, pending ? "it ends after an extended header, before its entry"
                        : current == null ? "it is empty or not a tar archive"
                        : "it ends without the end-of-archive marker");
            }
            if (zeroBlock(pos)) {
                if (pending) {
                    throw corrupt(at, "an end-of-archive marker right after an extended header, without its entry");
                }
                pos += TarHeaders.BLOCK;
                ended = true;
                current = null;
                drain(at);
                return null;
            }
            verifyChecksum(at);
            int h = pos;
            char flag = (char) (buf[h + 156] & 0xff);
            long size = number(h + 124, 12, at, "size");
            if (size < 0) {
                throw corrupt(at, "a negative size");
            }
            pos += TarHeaders.BLOCK;
            switch (flag) {
                case 'x', 'X' -> { // 'X': Solaris tar's name for the same header
                    if (pax != null) {
                        throw corrupt(at, "a second pax extended header for one entry");
                    }
                    paxSeen = true;
                    paxAt = at;
                    pax = parsePax(readSmall(size, at), at);
                    continue;
                }
                case 'g' -> {
                    paxSeen = true;
                    Map<String, byte[]> records = parsePax(readSmall(size, at), at);
                    byte[] label = records.remove("GNU.volume.label");
                    if (label != null) {
                        warnings.add(LABEL, new String(label, StandardCharsets.UTF_8));
                    }
                    // POSIX: a global record holds until another one sets the keyword; an empty value unsets it.
                    records.forEach((k, v) -> {
                        if (v.length == 0) {
                            globalPax.remove(k);
                        } else {
                            globalPax.put(k, v);
                        }
                    });
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
                case 'V' -> {
                    // A GNU volume label names the archive, not a file; GNU tar and bsdtar skip it too.
                    warnings.add(LABEL, new String(field(h, 0, 100), StandardCharsets.UTF_8));
                    skip(size + pad(size));
                    continue;
                }
                default -> {
                    current = entry(h, flag, size, at, pax, paxAt < 0 ? at : paxAt, longName, longLink);
                    return current;
                }
            }
        }
    }

    private static final String LABEL = "GNU tar volume label skipped: it names the archive, not a file";

    /**
     * Decodes the header at {@code buf[h]} with the extended records before it. Every field is read before
     * anything may refill the buffer (which would move the header).
     */
    private TarEntry entry(int h, char flag, long size, long at, Map<String, byte[]> pax, long paxAt,
            byte[] longName, byte[] longLink) throws IOException {
        boolean posixMagic = buf[h + 257] == 'u' && buf[h + 258] == 's' && buf[h + 259] == 't'
                && buf[h + 260] == 'a' && buf[h + 261] == 'r' && buf[h + 262] == 0;
        boolean gnuMagic = !posixMagic && buf[h + 257] == 'u' && buf[h + 258] == 's' && buf[h + 259] == 't'
                && buf[h + 260] == 'a' && buf[h + 261] == 'r' && buf[h + 262] == ' ';
        byte[] nameBytes = longName != null ? longName : field(h, 0, 100);
        if (longName == null && posixMagic) {
            // ustar's prefix; star's headers end it at byte 130 with a NUL, which field() stops at.
            byte[] prefix = field(h, 345, 155);
            if (prefix.length > 0) {
                nameBytes = concat(prefix, nameBytes);
            }
        }
        byte[] linkBytes = longLink != null ? longLink : field(h, 157, 100);
        int mode = (int) (number(h + 100, 8, at, "mode") & 07777);
        long uid = number(h + 108, 8, at, "uid");
        long gid = number(h + 116, 8, at, "gid");
        long mtime = number(h + 136, 12, at, "mtime");
        // Device numbers only where they exist: V7 headers have no such fields (GNU tar reads them as 0).
        boolean deviceFlag = flag == '3' || flag == '4';
        long major = deviceFlag && (posixMagic || gnuMagic) ? number(h + 329, 8, at, "devmajor") : 0;
        long minor = deviceFlag && (posixMagic || gnuMagic) ? number(h + 337, 8, at, "devminor") : 0;

        Map<String, byte[]> xattrs = null;
        byte[] aclAccess = null;
        byte[] aclDefault = null;
        String unsupported = null;
        byte[] multiVolume = null;
        boolean binaryNames = false;
        List<String> ignored = null;
        if (pax != null || !globalPax.isEmpty()) {
            Map<String, byte[]> records = new LinkedHashMap<>(globalPax);
            if (pax != null) {
                pax.forEach((k, v) -> {
                    if (v.length == 0) {
                        records.remove(k); // POSIX: an empty value unsets the keyword, the header field holds
                    } else {
                        records.put(k, v);
                    }
                });
            }
            xattrs = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> r : records.entrySet()) {
                String k = r.getKey();
                byte[] v = r.getValue();
                switch (k) {
                    case "path" -> nameBytes = v;
                    case "linkpath" -> linkBytes = v;
                    case "size" -> size = paxNumber(v, k, paxAt, Long.MAX_VALUE);
                    case "uid" -> uid = paxNumber(v, k, paxAt, MAX_ID);
                    case "gid" -> gid = paxNumber(v, k, paxAt, MAX_ID);
                    case "mtime" -> mtime = seconds(v, paxAt);
                    case "SCHILY.devmajor" -> major = paxNumber(v, k, paxAt, Integer.MAX_VALUE);
                    case "SCHILY.devminor" -> minor = paxNumber(v, k, paxAt, Integer.MAX_VALUE);
                    case "RHT.security.selinux" -> xattrs.put("security.selinux", v);
                    case "SCHILY.acl.access" -> aclAccess = v;
                    case "SCHILY.acl.default" -> aclDefault = v;
                    case "hdrcharset" -> binaryNames = new String(v, StandardCharsets.US_ASCII).equals("BINARY");
                    case "GNU.sparse.name" -> {
                        nameBytes = v; // GNU tar puts a made-up name in "path" and the real one here
                        unsupported = "a GNU tar sparse file (pax GNU.sparse.* records)";
                    }
                    case "SCHILY.realsize", "SUN.holesdata" -> unsupported = "a sparse file (pax " + k + ")";
                    case "GNU.volume.filename" -> multiVolume = v; // the real name; "path" has a made-up one
                    case "GNU.volume.size", "GNU.volume.offset" -> multiVolume = multiVolume != null ? multiVolume
                            : new byte[0];
                    // Read and deliberately not restored: access and change times (rocluster sets mtime
                    // only), owner names (owners are numeric, as with --numeric-owner), comments, the
                    // incremental-dump listing and libarchive's and star's bookkeeping.
                    case "atime", "ctime", "uname", "gname", "comment", "charset", "GNU.dumpdir", "SCHILY.dev",
                            "SCHILY.ino", "SCHILY.nlink", "LIBARCHIVE.creationtime", "LIBARCHIVE.symlinktype" -> { }
                    default -> {
                        if (k.startsWith(TarHeaders.XATTR_PREFIX)) {
                            xattrs.put(k.substring(TarHeaders.XATTR_PREFIX.length()), v);
                        } else if (k.startsWith("LIBARCHIVE.xattr.")) {
                            xattrs.put(libarchiveXattrName(k, paxAt), base64(v, k, paxAt));
                        } else if (k.startsWith("GNU.sparse.")) {
                            unsupported = "a GNU tar sparse file (pax GNU.sparse.* records)";
                        } else {
                            if (ignored == null) {
                                ignored = new ArrayList<>();
                            }
                            ignored.add(k);
                        }
                    }
                }
            }
        }
        String name = utf8(nameBytes, at, binaryNames);
        if (ignored != null) {
            for (String k : ignored) {
                warnings.add(switch (k) {
                    case "SCHILY.acl.ace" -> "NFSv4 ACLs (pax SCHILY.acl.ace) not restored: Linux file systems"
                            + " other than NFS cannot hold them";
                    case "SCHILY.fflags" -> "file flags (pax SCHILY.fflags, as set by chattr or chflags) not"
                            + " restored";
                    default -> "pax keyword '" + EntryNames.printable(k) + "' ignored: rocluster does not know it";
                }, name);
            }
        }
        FileEntry.Type type = type(flag, nameBytes, name, at);
        if (multiVolume != null) {
            throw unsupported(multiVolume.length > 0 ? utf8(multiVolume, paxAt, binaryNames) : name, at,
                    "part of a file split across the volumes of a GNU tar multi-volume archive (pax GNU.volume.*"
                    + " records)", MULTI_VOLUME_FIX);
        }
        if (unsupported != null) {
            throw unsupported(name, at, unsupported, "extract it with GNU tar and repack the tree with rocluster pack");
        }
        if (nameBytes.length == 0) {
            throw new RoclusterException("refusing archive: the entry at byte " + at + " has an empty name, which"
                    + " places it nowhere (GNU tar would apply it to the target directory itself); repack the"
                    + " tree with rocluster pack");
        }
        if (uid < 0 || uid > MAX_ID || gid < 0 || gid > MAX_ID) {
            throw corrupt(at, "an owner id out of range (" + uid + ":" + gid + ")");
        }
        if (major < 0 || major > Integer.MAX_VALUE || minor < 0 || minor > Integer.MAX_VALUE) {
            throw corrupt(at, "a device number out of range (" + major + "," + minor + ")");
        }
        String link = type == FileEntry.Type.SYMLINK || type == FileEntry.Type.HARDLINK
                ? utf8(linkBytes, at, binaryNames) : null;
        if (aclAccess != null || aclDefault != null) {
            acls(type, name, paxAt, aclAccess, aclDefault, xattrs);
        }

        // What follows the header: GNU tar and bsdtar ignore the size field of entries that carry no
        // data (directories, symlinks, devices, FIFOs), so some writers leave a size there.
        long body = switch (type) {
            case FILE -> size;
            case DIRECTORY -> flag == 'D' ? size : 0; // a GNU dumpdir's data is its listing
            case HARDLINK -> size == 0 ? 0 : hardlinkBody(size);
            default -> 0;
        };
        boolean device = type == FileEntry.Type.CHAR_DEVICE || type == FileEntry.Type.BLOCK_DEVICE;
        TarEntry e = new TarEntry(name, type, mode, uid, gid, type == FileEntry.Type.FILE ? size : 0, mtime, link,
                device ? (int) major : 0, device ? (int) minor : 0, xattrs);
        padding = pad(body);
        if (type == FileEntry.Type.FILE) {
            contentLeft = body;
        } else {
            // Data of a non-file (a pax hardlink's copy of its target, a dumpdir) is not part of the tree.
            skip(body);
        }
        return e;
    }

    /**
     * Whether a hardlink's size counts data that follows it. pax allows a hardlink to carry its target's
     * data; older formats do not, and their writers often put the target's size there with no data
     * (POSIX 1988 told readers to ignore it). As libarchive: in a pax archive the data is there; otherwise
     * it is there only when the next block is not a header.
     */
    private long hardlinkBody(long size) throws IOException {
        if (paxSeen) {
            return size;
        }
        if (!ensure(TarHeaders.BLOCK) || zeroBlock(pos) || checksumOk(pos)) {
            return 0;
        }
        return size;
    }

    /**
     * Turns {@code SCHILY.acl.*} text into the {@code system.posix_acl_*} xattrs it stands for, as GNU tar and
     * bsdtar restore it: none on symlinks (Linux has no ACLs on them) or hardlinks (the target has them), a
     * default ACL on directories only. An xattr stored as such ({@code SCHILY.xattr.system.posix_acl_*}, as
     * rocluster pack writes) is the exact value and wins over the text.
     */
    private void acls(FileEntry.Type type, String name, long at, byte[] access, byte[] defaults,
            Map<String, byte[]> xattrs) {
        if (type == FileEntry.Type.HARDLINK) {
            return;
        }
        if (type == FileEntry.Type.SYMLINK || defaults != null && type != FileEntry.Type.DIRECTORY) {
            warnings.add("POSIX ACLs on symlinks and default ACLs on non-directories ignored: Linux cannot keep"
                    + " them there", name);
        }
        if (type == FileEntry.Type.SYMLINK) {
            return;
        }
        Map<String, PosixAcl> named = new LinkedHashMap<>();
        for (String key : List.of(PosixAcl.ACCESS, PosixAcl.DEFAULT)) {
            boolean isDefault = key.equals(PosixAcl.DEFAULT);
            byte[] text = isDefault ? defaults : access;
            if (text == null || isDefault && type != FileEntry.Type.DIRECTORY || xattrs.containsKey(key)) {
                continue;
            }
            String record = isDefault ? "SCHILY.acl.default" : "SCHILY.acl.access";
            try {
                PosixAcl acl = PosixAcl.parse(text, isDefault);
                if (acl.needsNames()) {
                    named.put(key, acl);
                } else {
                    xattrs.put(key, acl.xattr());
                }
            } catch (IllegalArgumentException e) {
                throw corrupt(at, "an invalid POSIX ACL for '" + EntryNames.printable(name) + "' (" + record + ": "
                        + e.getMessage() + ")");
            }
        }
        if (!named.isEmpty()) {
            namedAcls = named;
        }
    }

    /**
     * ACLs of the current entry that name users or groups without a numeric id (GNU tar writes names only),
     * by xattr name: the caller resolves them in the image's own etc/passwd and etc/group. Empty for most
     * entries.
     */
    Map<String, PosixAcl> namedAcls() {
        return namedAcls;
    }

    /** One line per kind of thing the archive holds that was read past without being restored. */
    List<String> warnings() {
        return warnings.lines();
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

    /**
     * Reads the rest of the input so the digest covers the whole stream (GNU tar's record padding). Like GNU
     * tar and bsdtar, rocluster stops at the end-of-archive marker; but where a header follows it (archives
     * joined with cat), they drop those entries without a word, and rocluster refuses instead.
     */
    private void drain(long endAt) throws IOException {
        while (true) {
            for (; limit - pos >= TarHeaders.BLOCK; pos += TarHeaders.BLOCK) {
                if (!zeroBlock(pos) && checksumOk(pos)) {
                    throw new RoclusterException("refusing archive: a tar header at byte " + position()
                            + " follows the end-of-archive marker at byte " + endAt + " (archives joined together?),"
                            + " and GNU tar and bsdtar would drop its entries; extract it with GNU tar"
                            + " --ignore-zeros and repack the tree with rocluster pack");
                }
            }
            if (!fill()) {
                pos = limit;
                return;
            }
        }
    }

    private static long pad(long size) {
        return (TarHeaders.BLOCK - size % TarHeaders.BLOCK) % TarHeaders.BLOCK;
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
        if (!checksumOk(pos)) {
            throw corrupt(at, "bad header checksum");
        }
    }

    /**
     * The stored checksum (octal only, as GNU tar and libarchive require) matches the sum of the header's
     * bytes, counted unsigned as POSIX says or signed as old BSD, Solaris and HP-UX tars did.
     */
    private boolean checksumOk(int h) {
        long stored = 0;
        int i = h + 148;
        int end = h + 156;
        while (i < end && buf[i] == ' ') {
            i++;
        }
        int digits = 0;
        for (; i < end && buf[i] >= '0' && buf[i] <= '7'; i++, digits++) {
            stored = (stored << 3) | (buf[i] - '0');
        }
        for (; i < end; i++) {
            if (buf[i] != ' ' && buf[i] != 0) {
                return false;
            }
        }
        long unsigned = 0;
        long signed = 0;
        for (int j = h; j < h + TarHeaders.BLOCK; j++) {
            byte b = j >= h + 148 && j < h + 156 ? (byte) ' ' : buf[j];
            unsigned += b & 0xff;
            signed += b;
        }
        return digits > 0 && (stored == unsigned || stored == signed);
    }

    private byte[] field(int off, int start, int len) {
        int end = off + start;
        while (end < off + start + len && buf[end] != 0) {
            end++;
        }
        return java.util.Arrays.copyOfRange(buf, off + start, end);
    }

    /**
     * A numeric header field, read as both GNU tar (list.c from_header) and libarchive (tar_atol) read it:
     * octal digits after leading spaces or tabs, ended by a NUL, a space or the field's end (what follows
     * the terminator is ignored); a field that is all NULs or all spaces is 0; a first byte with the high bit
     * set starts a big-endian two's complement binary number (GNU's base-256, for big and negative values).
     * Where the two disagree the archive is refused: a NUL followed by digits is 0 to libarchive but the
     * digits to GNU tar, which takes the NUL for a previous field's overflow.
     */
    private long number(int off, int len, long at, String field) {
        int end = off + len;
        byte first = buf[off];
        if ((first & 0x80) != 0) {
            long v = (first & 0x40) != 0 ? -1L : 0L;
            v = (v << 6) | (first & 0x3f);
            for (int i = off + 1; i < end; i++) {
                if (v >= 1L << 55 || v < -(1L << 55)) {
                    throw corrupt(at, "a " + field + " field too large for 64 bits");
                }
                v = (v << 8) | (buf[i] & 0xff);
            }
            return v;
        }
        if (first == 0) {
            int i = off + 1;
            while (i < end && isSpace(buf[i])) {
                i++;
            }
            if (i < end && buf[i] >= '0' && buf[i] <= '7') {
                throw corrupt(at, "a " + field + " field of a NUL then digits, which GNU tar reads as a number"
                        + " and bsdtar as 0");
            }
            return 0;
        }
        int i = off;
        while (i < end && (buf[i] == ' ' || buf[i] == '\t')) {
            i++;
        }
        long v = 0;
        for (; i < end; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 7) {
                break;
            }
            v = (v << 3) | d; // at most 12 digits: 36 bits
        }
        if (i < end && buf[i] != 0 && !isSpace(buf[i])) {
            throw corrupt(at, "a " + field + " field that is not an octal number");
        }
        return v;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b >= '\t' && b <= '\r';
    }

    private FileEntry.Type type(char flag, byte[] nameBytes, String name, long at) {
        String fix = "extract it with GNU tar and repack the tree with rocluster pack";
        return switch (flag) {
            case '0', 0, '7' -> nameBytes.length > 0 && nameBytes[nameBytes.length - 1] == '/'
                    ? FileEntry.Type.DIRECTORY : FileEntry.Type.FILE; // '7': contiguous, a file on Linux
            case '1' -> FileEntry.Type.HARDLINK;
            case '2' -> FileEntry.Type.SYMLINK;
            case '3' -> FileEntry.Type.CHAR_DEVICE;
            case '4' -> FileEntry.Type.BLOCK_DEVICE;
            case '5', 'D' -> FileEntry.Type.DIRECTORY;
            case '6' -> FileEntry.Type.FIFO;
            case 'S' -> throw unsupported(name, at, "a GNU tar sparse file (type 'S')", fix);
            case 'M' -> throw unsupported(name, at, "the rest of a file begun in the previous volume of a GNU tar"
                    + " multi-volume archive (type 'M')", MULTI_VOLUME_FIX);
            case 'N' -> throw unsupported(name, at, "an old GNU tar long-name script (type 'N')", fix);
            case 'A' -> throw unsupported(name, at, "a Solaris tar ACL header (type 'A')",
                    "repack it with ACLs as pax records (GNU tar --format=posix --acls, or bsdtar)");
            default -> throw unsupported(name, at, "type '" + EntryNames.printable(String.valueOf(flag))
                    + "', which is not a file, directory, link, device or FIFO", fix);
        };
    }

    private static final String MULTI_VOLUME_FIX = "extract all volumes with GNU tar --multi-volume and repack the"
            + " tree with rocluster pack";

    private static RoclusterException unsupported(String name, long at, String what, String fix) {
        return new RoclusterException("unsupported tar entry '" + EntryNames.printable(name) + "' at byte " + at
                + ": " + what + "; " + fix);
    }

    /**
     * The records of an 'x' or 'g' header, "LENGTH KEYWORD=VALUE\n" each, in order (a keyword repeated: the
     * last wins). A record whose length does not end at its newline is refused, as GNU tar and bsdtar stop
     * reading the header there.
     */
    private Map<String, byte[]> parsePax(byte[] data, long at) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        int i = 0;
        while (i < data.length) {
            int sp = i;
            long len = 0;
            while (sp < data.length && data[sp] >= '0' && data[sp] <= '9' && len <= data.length) {
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

    /** A pax number: decimal digits only (as GNU tar requires), from 0 to {@code max}. */
    private static long paxNumber(byte[] v, String key, long at, long max) {
        long n = 0;
        for (byte b : v) {
            if (b < '0' || b > '9' || n > (max - (b - '0')) / 10) {
                throw corrupt(at, "a pax " + key + " record that is not a number from 0 to " + max + " ('"
                        + EntryNames.printable(new String(v, StandardCharsets.UTF_8)) + "')");
            }
            n = n * 10 + (b - '0');
        }
        return n;
    }

    /**
     * A pax time, "[-]SECONDS[.FRACTION]" as GNU tar and libarchive write it: whole seconds, rounded towards
     * the past as GNU tar does (rocluster restores mtimes to the second).
     */
    private static long seconds(byte[] v, long at) {
        int i = 0;
        boolean negative = v.length > 0 && v[0] == '-';
        if (negative) {
            i++;
        }
        long n = 0;
        int digits = 0;
        for (; i < v.length && v[i] >= '0' && v[i] <= '9'; i++, digits++) {
            if (n > (Long.MAX_VALUE - 9) / 10) {
                throw corrupt(at, "a pax mtime out of range");
            }
            n = n * 10 + (v[i] - '0');
        }
        boolean fraction = false;
        if (i < v.length && v[i] == '.') {
            for (i++; i < v.length && v[i] >= '0' && v[i] <= '9'; i++) {
                fraction |= v[i] != '0';
            }
        }
        if (digits == 0 || i != v.length) {
            throw corrupt(at, "a pax mtime record that is not [-]seconds[.fraction] ('"
                    + EntryNames.printable(new String(v, StandardCharsets.UTF_8)) + "')");
        }
        return negative ? -n - (fraction ? 1 : 0) : n;
    }

    /** bsdtar's xattr records: the name URL-encoded in the keyword, the value base64 (padding optional). */
    private static String libarchiveXattrName(String key, long at) {
        try {
            return java.net.URLDecoder.decode(key.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw corrupt(at, "a malformed pax keyword '" + EntryNames.printable(key) + "'");
        }
    }

    private static byte[] base64(byte[] v, String key, long at) {
        String s = new String(v, StandardCharsets.US_ASCII).trim();
        int pad = (4 - s.length() % 4) % 4;
        try {
            return Base64.getDecoder().decode(s + "==".substring(0, Math.min(pad, 2)));
        } catch (IllegalArgumentException e) {
            throw corrupt(at, "a pax " + EntryNames.printable(key) + " record that is not base64");
        }
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

    private static String utf8(byte[] b, long at, boolean binary) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new RoclusterException("unsupported tar entry at byte " + at + ": its name is not valid UTF-8"
                    + (binary ? " (the archive says hdrcharset=BINARY)" : "") + "; rocluster needs UTF-8 names:"
                    + " convert them (e.g. convmv -f latin1 -t utf8 -r) and repack the tree with rocluster pack");
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

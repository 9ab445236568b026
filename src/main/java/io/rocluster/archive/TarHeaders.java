package io.rocluster.archive;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Encodes POSIX.1-2001 (pax) headers by hand: a ustar block, preceded when needed by an {@code x} block
 * whose records carry raw bytes. commons-compress would route pax values through Java Strings, which
 * destroys binary {@code security.capability} values (FACTS.md); here a value is copied byte for byte.
 */
final class TarHeaders {

    static final int BLOCK = 512;

    static final long MAX_ID = 07777777L;
    static final long MAX_SIZE = 077777777777L;
    private static final byte[] USTAR_MAGIC = "ustar\00000".getBytes(StandardCharsets.US_ASCII);
    /** Prefix of the pax records GNU tar writes for extended attributes (and GNU tar and bsdtar read). */
    static final String XATTR_PREFIX = "SCHILY.xattr.";

    private TarHeaders() {}

    static char typeflag(FileEntry.Type t) {
        return switch (t) {
            case FILE -> '0';
            case HARDLINK -> '1';
            case SYMLINK -> '2';
            case CHAR_DEVICE -> '3';
            case BLOCK_DEVICE -> '4';
            case DIRECTORY -> '5';
            case FIFO -> '6';
        };
    }

    /**
     * Encodes an entry as its header blocks: a pax {@code x} header with its records when some value does
     * not fit ustar (long or non-ASCII names, big ids or sizes, out-of-range times, any xattr), then the
     * ustar block. The choice depends only on the entry, so equal entries give equal bytes.
     */
    static byte[] encode(TarEntry e) {
        byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
        byte[] link = e.linkTarget() == null ? new byte[0] : e.linkTarget().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream pax = new ByteArrayOutputStream();

        byte[] ustarName = name;
        byte[] ustarPrefix = new byte[0];
        if (!portable(name) || name.length > 100) {
            int split = portable(name) ? splitPoint(name) : -1;
            if (split < 0) {
                record(pax, "path", name);
                ustarName = truncate(name, 100);
            } else {
                ustarPrefix = java.util.Arrays.copyOfRange(name, 0, split);
                ustarName = java.util.Arrays.copyOfRange(name, split + 1, name.length);
            }
        }
        byte[] ustarLink = link;
        if (!portable(link) || link.length > 100) {
            record(pax, "linkpath", link);
            ustarLink = truncate(link, 100);
        }
        long size = e.size();
        if (size > MAX_SIZE) {
            record(pax, "size", Long.toString(size));
            size = 0;
        }
        long uid = e.uid();
        if (uid < 0 || uid > MAX_ID) {
            record(pax, "uid", Long.toString(uid));
            uid = 0;
        }
        long gid = e.gid();
        if (gid < 0 || gid > MAX_ID) {
            record(pax, "gid", Long.toString(gid));
            gid = 0;
        }
        long mtime = e.mtime();
        if (mtime < 0 || mtime > MAX_SIZE) {
            record(pax, "mtime", Long.toString(mtime));
            mtime = Math.max(0, Math.min(mtime, MAX_SIZE));
        }
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            record(pax, XATTR_PREFIX + x.getKey(), x.getValue());
        }

        byte[] ustar = ustar(ustarName, ustarPrefix, e.mode() & 07777, uid, gid, size, mtime, typeflag(e.type()),
                ustarLink, e.devMajor(), e.devMinor());
        if (pax.size() == 0) {
            return ustar;
        }
        byte[] records = pax.toByteArray();
        byte[] paxHeader = ustar(paxHeaderName(name), new byte[0], 0644, 0, 0, records.length, mtime, 'x',
                new byte[0], 0, 0);
        int padded = (records.length + BLOCK - 1) / BLOCK * BLOCK;
        byte[] out = new byte[BLOCK + padded + BLOCK];
        System.arraycopy(paxHeader, 0, out, 0, BLOCK);
        System.arraycopy(records, 0, out, BLOCK, records.length);
        System.arraycopy(ustar, 0, out, BLOCK + padded, BLOCK);
        return out;
    }

    /**
     * One ustar header block; fields that do not fit must have been moved to pax records already. The
     * mode is written as given (tests use it to imitate Go's writer, which keeps file-type bits there).
     */
    static byte[] ustar(byte[] name, byte[] prefix, int mode, long uid, long gid, long size, long mtime,
            char typeflag, byte[] linkname, int devMajor, int devMinor) {
        byte[] h = new byte[BLOCK];
        System.arraycopy(name, 0, h, 0, Math.min(name.length, 100));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) typeflag;
        System.arraycopy(linkname, 0, h, 157, Math.min(linkname.length, 100));
        System.arraycopy(USTAR_MAGIC, 0, h, 257, 8);
        // uname/gname stay empty: ownership is numeric only.
        octal(h, 329, 8, devMajor);
        octal(h, 337, 8, devMinor);
        System.arraycopy(prefix, 0, h, 345, Math.min(prefix.length, 155));
        checksum(h);
        return h;
    }

    static void checksum(byte[] h) {
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        // Six octal digits (the sum of 512 bytes is at most 0777000, always six digits or fewer).
        for (int i = 153; i >= 148; i--) {
            h[i] = (byte) ('0' + (sum & 7));
            sum >>>= 3;
        }
        h[154] = 0;
        h[155] = ' ';
    }

    /** {@code len - 1} zero-padded octal digits and a NUL; written digit by digit (once per field of every entry). */
    private static void octal(byte[] h, int off, int len, long value) {
        if (value < 0 || (len - 1) * 3 < 64 && value >>> ((len - 1) * 3) != 0) {
            throw new IllegalArgumentException("value " + value + " does not fit a " + len + "-byte tar field");
        }
        long v = value;
        for (int i = off + len - 2; i >= off; i--) {
            h[i] = (byte) ('0' + (v & 7));
            v >>>= 3;
        }
        h[off + len - 1] = 0;
    }

    /** ASCII without NUL: what a ustar field holds unambiguously whatever the reader's locale. */
    private static boolean portable(byte[] b) {
        for (byte x : b) {
            if (x <= 0) {
                return false;
            }
        }
        return true;
    }

    /** Index of the "/" that splits a long name into ustar prefix and name, or -1 when none fits. */
    private static int splitPoint(byte[] name) {
        int last = name.length - 1; // a trailing "/" of a directory stays in the name part
        for (int i = Math.max(1, name.length - 101); i <= Math.min(155, last - 1); i++) {
            if (name[i] == '/') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] truncate(byte[] b, int max) {
        return b.length <= max ? b : java.util.Arrays.copyOf(b, max);
    }

    /** Like GNU tar's default "%d/PaxHeaders/%f" without the directory: fixed, short, ASCII. */
    private static byte[] paxHeaderName(byte[] name) {
        int end = name.length;
        while (end > 0 && name[end - 1] == '/') {
            end--;
        }
        int start = end;
        while (start > 0 && name[start - 1] != '/') {
            start--;
        }
        byte[] base = java.util.Arrays.copyOfRange(name, start, end);
        for (int i = 0; i < base.length; i++) {
            if (base[i] <= 0) {
                base[i] = '_';
            }
        }
        byte[] prefix = "PaxHeaders/".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[Math.min(100, prefix.length + base.length)];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(base, 0, out, prefix.length, out.length - prefix.length);
        return out;
    }

    static void record(ByteArrayOutputStream out, String key, String value) {
        record(out, key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A pax record, "LEN KEY=VALUE\n", where LEN counts the whole record including its own digits. */
    static void record(ByteArrayOutputStream out, String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int rest = 1 + k.length + 1 + value.length + 1;
        int len = rest + 1;
        while (Integer.toString(len).length() + rest != len) {
            len++;
        }
        out.writeBytes(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
        out.write(' ');
        out.writeBytes(k);
        out.write('=');
        out.writeBytes(value);
        out.write('\n');
    }
}

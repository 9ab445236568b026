package io.rocluster.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes tar archives byte by byte, 512-byte header by header, so tests can give every field the exact
 * bytes other writers (old, odd or broken ones) put there; {@link TarWriter} only writes what is right.
 */
final class RawTar {

    /** What sits at byte 257: nothing (V7), POSIX ustar, or GNU's "ustar  ". */
    enum Magic { V7, USTAR, GNU }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** One header block; fields default to a root-owned 0644 regular file of size 0, mtime 1600000000. */
    static final class Header {
        final byte[] b = new byte[TarHeaders.BLOCK];
        private boolean checksumGiven;
        private boolean signedChecksum;

        Header(String name, char type, Magic magic) {
            put(0, 100, name.getBytes(StandardCharsets.UTF_8));
            mode(0644);
            octal(108, 8, 0);
            octal(116, 8, 0);
            octal(124, 12, 0);
            octal(136, 12, 1600000000L);
            b[156] = (byte) type;
            switch (magic) {
                case USTAR -> put(257, 8, "ustar\00000".getBytes(StandardCharsets.US_ASCII));
                case GNU -> put(257, 8, "ustar  \0".getBytes(StandardCharsets.US_ASCII));
                case V7 -> { }
            }
        }

        Header mode(int mode) {
            return octal(100, 8, mode);
        }

        Header owner(long uid, long gid) {
            octal(108, 8, uid);
            return octal(116, 8, gid);
        }

        Header size(long size) {
            return octal(124, 12, size);
        }

        Header mtime(long mtime) {
            return octal(136, 12, mtime);
        }

        Header link(String target) {
            return put(157, 100, target.getBytes(StandardCharsets.UTF_8));
        }

        Header device(int major, int minor) {
            octal(329, 8, major);
            return octal(337, 8, minor);
        }

        Header prefix(String prefix) {
            return put(345, 155, prefix.getBytes(StandardCharsets.UTF_8));
        }

        /** Raw bytes at {@code offset} (e.g. a size field as some writer left it); the rest of the field is NUL. */
        Header raw(int offset, int length, byte[] bytes) {
            return put(offset, length, bytes);
        }

        /** The checksum as old BSD, Solaris and HP-UX tars computed it: bytes as signed chars. */
        Header signedChecksum() {
            signedChecksum = true;
            return this;
        }

        /** A checksum field of these bytes instead of the computed one. */
        Header checksumField(byte[] field) {
            checksumGiven = true;
            return put(148, 8, field);
        }

        private Header octal(int off, int len, long v) {
            String digits = String.format("%0" + (len - 1) + "o", v);
            return put(off, len, (digits + "\0").getBytes(StandardCharsets.US_ASCII));
        }

        private Header put(int off, int len, byte[] v) {
            java.util.Arrays.fill(b, off, off + len, (byte) 0);
            System.arraycopy(v, 0, b, off, Math.min(len, v.length));
            return this;
        }

        byte[] bytes() {
            if (!checksumGiven) {
                java.util.Arrays.fill(b, 148, 156, (byte) ' ');
                long sum = 0;
                for (byte x : b) {
                    sum += signedChecksum ? x : x & 0xff;
                }
                put(148, 8, String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII));
            }
            return b.clone();
        }
    }

    static Header header(String name, char type, Magic magic) {
        return new Header(name, type, magic);
    }

    RawTar add(Header h) {
        out.writeBytes(h.bytes());
        return this;
    }

    /** Data padded to a whole block. */
    RawTar data(byte[] data) {
        out.writeBytes(data);
        out.writeBytes(new byte[(TarHeaders.BLOCK - data.length % TarHeaders.BLOCK) % TarHeaders.BLOCK]);
        return this;
    }

    RawTar data(String text) {
        return data(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A regular file with its content. */
    RawTar file(String name, String content, Magic magic) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        return add(header(name, '0', magic).size(data.length)).data(data);
    }

    /** A pax header of type {@code type} ('x', 'g', 'X') whose records are "KEYWORD=VALUE" strings. */
    RawTar pax(char type, String... records) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String r : records) {
            int eq = r.indexOf('=');
            TarHeaders.record(body, r.substring(0, eq), r.substring(eq + 1));
        }
        return add(header("PaxHeaders/x", type, Magic.USTAR).size(body.size())).data(body.toByteArray());
    }

    /** A pax header with a body given byte for byte (malformed records). */
    RawTar paxRaw(char type, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return add(header("PaxHeaders/x", type, Magic.USTAR).size(b.length)).data(b);
    }

    /** The end-of-archive marker: two zero blocks. */
    RawTar end() {
        out.writeBytes(new byte[2 * TarHeaders.BLOCK]);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    Path write(Path file) throws IOException {
        return Files.write(file, bytes());
    }
}

package io.rocluster.archive;

import io.rocluster.RoclusterException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;

/**
 * Reads an initramfs image as the kernel does: one or more concatenated newc cpio archives, typically
 * an uncompressed early-microcode archive followed by a gzip, xz, zstd or bzip2 compressed one. After each
 * archive's TRAILER!!! the NUL padding is skipped and the next segment recognised by its magic bytes.
 * Used by {@code rocluster inspect} to prove what an image's initramfs contains.
 */
public final class Initramfs {

    /**
     * One member of the image.
     *
     * @param path       relative path without a leading "/" or "./"
     * @param type       FILE, DIRECTORY, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE or FIFO (cpio has no hardlink
     *                   entries: links share an inode, and the data sits on the last one)
     * @param mode       permission bits (07777)
     * @param size       content size of a regular file (for hardlinked files, the size of the shared data)
     * @param linkTarget symlink target, else null
     * @param segment    which archive of the image holds it, 0 for the first
     */
    public record Entry(String path, FileEntry.Type type, int mode, long size, String linkTarget, int segment) {}

    private final Path image;
    private final List<Entry> entries;

    private Initramfs(Path image, List<Entry> entries) {
        this.image = image;
        this.entries = entries;
    }

    /** Opens and lists an initramfs image. */
    public static Initramfs open(Path image) throws IOException {
        List<Entry> list = new ArrayList<>();
        List<String> inodeOf = new ArrayList<>();
        Map<String, Long> sizeOfInode = new HashMap<>();
        scan(image, (segment, e, in) -> {
            String path = normalise(e.getName());
            if (path.isEmpty()) {
                return false;
            }
            FileEntry.Type type = type(e, image);
            String link = type == FileEntry.Type.SYMLINK
                    ? new String(in.readNBytes((int) Math.min(e.getSize(), 65536)), StandardCharsets.UTF_8) : null;
            long size = type == FileEntry.Type.FILE ? e.getSize() : 0;
            String key = null;
            if (type == FileEntry.Type.FILE && e.getNumberOfLinks() > 1) {
                key = inodeKey(segment, e);
                sizeOfInode.merge(key, size, Math::max);
            }
            inodeOf.add(key);
            list.add(new Entry(path, type, (int) (e.getMode() & 07777), size, link, segment));
            return false;
        });
        // Hardlinked files carry their data on the last occurrence: give every name the shared size.
        for (int i = 0; i < list.size(); i++) {
            Entry en = list.get(i);
            if (inodeOf.get(i) != null) {
                list.set(i, new Entry(en.path(), en.type(), en.mode(), sizeOfInode.get(inodeOf.get(i)),
                        en.linkTarget(), en.segment()));
            }
        }
        return new Initramfs(image, Collections.unmodifiableList(list));
    }

    /** Every member, in image order (a later segment's member may repeat an earlier path and wins). */
    public List<Entry> entries() {
        return entries;
    }

    /** The content of the regular file at {@code path} (as the kernel would unpack it: the last one wins). */
    public Optional<byte[]> read(String path) throws IOException {
        String wanted = normalise(path);
        byte[][] found = new byte[1][];
        String[] waitingFor = new String[1];
        scan(image, (segment, e, in) -> {
            String name = normalise(e.getName());
            String key = inodeKey(segment, e);
            if (name.equals(wanted)) {
                found[0] = null;
                waitingFor[0] = null;
                if (!e.isRegularFile()) {
                    return false;
                }
                if (e.getSize() == 0 && e.getNumberOfLinks() > 1) {
                    waitingFor[0] = key; // the data comes with a later name of the same inode
                } else {
                    found[0] = in.readAllBytes();
                }
            } else if (key.equals(waitingFor[0]) && e.getSize() > 0) {
                found[0] = in.readAllBytes();
                waitingFor[0] = null;
            }
            return false;
        });
        return Optional.ofNullable(found[0]);
    }

    private interface Visitor {
        /** @return true to stop scanning */
        boolean visit(int segment, CpioArchiveEntry e, InputStream content) throws IOException;
    }

    private static void scan(Path image, Visitor v) throws IOException {
        if (!Files.isRegularFile(image)) {
            throw new RoclusterException(image + " is not a file; give the path of an initramfs image");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(image), 1 << 16)) {
            PushbackInputStream in = new PushbackInputStream(raw, 8);
            int segment = 0;
            while (true) {
                int b;
                do {
                    b = in.read(); // NUL padding between archives
                } while (b == 0);
                if (b < 0) {
                    if (segment == 0) {
                        throw new RoclusterException(image + " is empty; give the path of an initramfs image");
                    }
                    return;
                }
                in.unread(b);
                byte[] magic = in.readNBytes(6);
                in.unread(magic);
                if (isCpio(magic)) {
                    if (readArchive(in, segment, v, image)) {
                        return;
                    }
                    segment++;
                    continue;
                }
                InputStream decompressed = decompressor(magic, in, image);
                // A compressed segment runs to the end of the image (as dracut writes it); it may itself hold
                // several archives.
                in = new PushbackInputStream(new BufferedInputStream(decompressed, 1 << 16), 8);
            }
        } catch (IOException e) {
            if (e instanceof org.apache.commons.compress.archivers.ArchiveException || e instanceof java.io.EOFException
                    || e.getClass().getName().startsWith("com.github.luben") || e instanceof java.util.zip.ZipException
                    || e.getClass().getName().startsWith("org.tukaani")) {
                throw new RoclusterException("cannot read initramfs " + image + ": " + e.getMessage()
                        + "; the image is damaged or not an initramfs", e);
            }
            throw e;
        } catch (RoclusterException e) {
            if (e.getMessage().contains(image.toString())) {
                throw e;
            }
            throw new RoclusterException("cannot read initramfs " + image + ": " + e.getMessage(), e);
        }
    }

    private static boolean readArchive(PushbackInputStream in, int segment, Visitor v, Path image)
            throws IOException {
        CpioArchiveInputStream cpio = new CpioArchiveInputStream(new NonClosing(in));
        for (CpioArchiveEntry e = cpio.getNextEntry(); e != null; e = cpio.getNextEntry()) {
            if (v.visit(segment, e, cpio)) {
                return true;
            }
        }
        return false;
    }

    /** Inode numbers are unique per device within one archive. */
    private static String inodeKey(int segment, CpioArchiveEntry e) {
        boolean newc = e.getFormat() == org.apache.commons.compress.archivers.cpio.CpioConstants.FORMAT_NEW
                || e.getFormat() == org.apache.commons.compress.archivers.cpio.CpioConstants.FORMAT_NEW_CRC;
        String dev = newc ? e.getDeviceMaj() + "," + e.getDeviceMin() : Long.toString(e.getDevice());
        return segment + ":" + dev + ":" + e.getInode();
    }

    private static boolean isCpio(byte[] m) {
        return m.length == 6 && new String(m, StandardCharsets.US_ASCII).startsWith("07070");
    }

    private static InputStream decompressor(byte[] m, InputStream in, Path image) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
        if (Compression.detect(b) == Compression.NONE) {
            throw new RoclusterException("initramfs " + image + " has a segment rocluster cannot read (magic "
                    + java.util.HexFormat.of().formatHex(m) + "); rebuild it with gzip, xz, zstd or bzip2"
                    + " compression");
        }
        return Compression.decompress(b);
    }

    private static String normalise(String name) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.substring(n.charAt(0) == '/' ? 1 : 2);
        }
        return n.equals(".") ? "" : n;
    }

    private static FileEntry.Type type(CpioArchiveEntry e, Path image) {
        if (e.isRegularFile()) {
            return FileEntry.Type.FILE;
        }
        if (e.isDirectory()) {
            return FileEntry.Type.DIRECTORY;
        }
        if (e.isSymbolicLink()) {
            return FileEntry.Type.SYMLINK;
        }
        if (e.isCharacterDevice()) {
            return FileEntry.Type.CHAR_DEVICE;
        }
        if (e.isBlockDevice()) {
            return FileEntry.Type.BLOCK_DEVICE;
        }
        if (e.isPipe()) {
            return FileEntry.Type.FIFO;
        }
        throw new RoclusterException("initramfs " + image + " holds '" + e.getName()
                + "' of an unknown type; the image is damaged or not an initramfs");
    }

    /** The cpio reader must not close the shared stream at the end of one archive. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}

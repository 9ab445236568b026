package io.rocluster.archive;

import io.rocluster.RoclusterException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Packs a root file system into a deterministic rootfs tarball (ARCHITECTURE.md): from a local directory
 * or from a builder's tar stream (the Docker archive API), to a stream or to a file whose name picks the
 * compression. The same tree gives the same tar bytes, whatever its creation order or inode numbers,
 * and whichever source it came from.
 *
 * <p>Layout of the archive: a root entry {@code ./} carrying the root directory's own mode and owner,
 * then {@code ./etc/}, {@code ./etc/passwd}…; directories end in "/". The per-file index
 * ({@link FileEntry}) omits the root, and is emitted in tar order while writing.
 */
public final class RootfsPacker {

    private RootfsPacker() {}

    /** Packs directory {@code root} as an uncompressed tar stream onto {@code tarOut} (left open). */
    public static PackResult packDirectory(Path root, OutputStream tarOut, PackOptions options,
            Consumer<FileEntry> index) throws IOException {
        requireUtf8FileNames();
        TarWriter tar = new TarWriter(tarOut);
        try {
            RootfsTarWriter w = new RootfsTarWriter(tar, options, index, false);
            DirectoryWalker.walk(root, w);
            tar.finish();
            return new PackResult(w.entries(), tar.size(), tar.sha256Hex(), -1, null);
        } catch (IOException | RuntimeException e) {
            tar.abort();
            throw e;
        }
    }

    /**
     * Normalises a foreign tar stream (uncompressed) whose member names start with {@code stripPrefix}
     * (e.g. "root" for the Docker archive stream of {@code /build/root}) into the deterministic form, in
     * one streaming pass. The stream must already be in canonical order, as Docker's is; otherwise this
     * fails with a message rather than produce different bytes.
     */
    public static PackResult packTarStream(InputStream foreignTar, String stripPrefix, OutputStream tarOut,
            PackOptions options, Consumer<FileEntry> index) throws IOException {
        TarWriter tar = new TarWriter(tarOut);
        TarReader r = new TarReader(foreignTar);
        try {
            return normalise(r, stripPrefix, tar, options, index);
        } catch (IOException | RuntimeException e) {
            tar.abort();
            r.abandon();
            throw e;
        }
    }

    private static PackResult normalise(TarReader r, String stripPrefix, TarWriter tar, PackOptions options,
            Consumer<FileEntry> index) throws IOException {
        RootfsTarWriter w = new RootfsTarWriter(tar, options, index, true);
        for (TarEntry e = r.next(); e != null; e = r.next()) {
            String path = EntryNames.normalise(e.name(), stripPrefix);
            if (!r.namedAcls().isEmpty()) {
                // Their ids live in the tree's etc/passwd, which a single streaming pass may not have seen yet.
                throw new RoclusterException("entry '" + EntryNames.printable(e.name()) + "' carries POSIX ACLs"
                        + " that name users or groups without ids; stream the tree with numeric ACLs, or unpack"
                        + " it with rocluster unpack and pack the directory");
            }
            TarEntry n = e;
            if (e.type() == FileEntry.Type.HARDLINK) {
                n = new TarEntry(e.name(), e.type(), e.mode(), e.uid(), e.gid(), 0, e.mtime(),
                        EntryNames.normalise(e.linkTarget(), stripPrefix), 0, 0, e.xattrs());
            }
            w.add(path, n, null, (out, size, digest) -> out.copyFrom(r.content(), size, digest));
        }
        tar.finish();
        return new PackResult(w.entries(), tar.size(), tar.sha256Hex(), -1, null);
    }

    /** Packs directory {@code root} into {@code out}, compressed as its name says; see {@link #toFile}. */
    public static PackResult packDirectory(Path root, Path out, PackOptions options, Consumer<FileEntry> index)
            throws IOException {
        Compression.forOutput(out); // a bad name is the first thing to report
        Path outDir = out.toAbsolutePath().normalize().getParent();
        if (outDir != null && Files.isDirectory(outDir) && Files.isDirectory(root)
                && outDir.toRealPath().startsWith(root.toRealPath())) {
            // The tarball would be packed into itself while it is being written.
            throw new RoclusterException("the output " + out + " lies inside " + root
                    + ", the tree being packed; write it outside that directory");
        }
        return toFile(out, s -> packDirectory(root, s, options, index));
    }

    /** Normalises a foreign tar stream into file {@code out}, compressed as its name says. */
    public static PackResult packTarStream(InputStream foreignTar, String stripPrefix, Path out,
            PackOptions options, Consumer<FileEntry> index) throws IOException {
        return toFile(out, s -> packTarStream(foreignTar, stripPrefix, s, options, index));
    }

    private interface TarProducer {
        PackResult write(OutputStream tarOut) throws IOException;
    }

    /**
     * Writes aside (a hidden temporary file next to {@code out}), fsyncs, renames into place: {@code out}
     * is either absent/old or complete, never half-written.
     */
    private static PackResult toFile(Path out, TarProducer producer) throws IOException {
        Compression c = Compression.forOutput(out);
        Path abs = out.toAbsolutePath();
        Path dir = abs.getParent();
        if (!Files.isDirectory(dir)) {
            throw new RoclusterException("output directory " + dir + " does not exist; create it first");
        }
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".part");
        boolean done = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            PackResult tar;
            DigestingOutputStream file;
            // The tarball goes to disk while it is being packed, so the fsync below finds little left.
            try (WriteBack writeBack = new WriteBack(() -> ch.force(false), WriteBack.STEP / 2)) {
                file = new DigestingOutputStream(Channels.newOutputStream(ch), writeBack);
                try (OutputStream compressed = c.compress(file)) {
                    tar = producer.write(compressed);
                }
            }
            ch.force(true);
            // An artefact is for others to read; createTempFile made it private.
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Durable.rename(tmp, abs);
            done = true;
            return new PackResult(tar.entries(), tar.tarSize(), tar.tarSha256(), file.count,
                    file.digest.hex());
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * rocluster archives store UTF-8 names; under a non-UTF-8 locale the JDK cannot even name such files,
     * so say so up front instead of failing on the first non-ASCII name.
     */
    static void requireUtf8FileNames() {
        String enc = System.getProperty("sun.jnu.encoding", "UTF-8");
        if (!enc.equalsIgnoreCase("UTF-8") && !enc.equalsIgnoreCase("UTF8")) {
            throw new RoclusterException("file names need a UTF-8 locale, but this one uses " + enc
                    + "; run with LC_ALL=C.UTF-8");
        }
    }

    /** Counts and digests what reaches the file; closing it does not close the file (fsync comes first). */
    private static final class DigestingOutputStream extends FilterOutputStream {
        final Sha256 digest = Sha256.create();
        private final WriteBack writeBack;
        long count;

        DigestingOutputStream(OutputStream out, WriteBack writeBack) {
            super(out);
            this.writeBack = writeBack;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
            writeBack.written(len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}

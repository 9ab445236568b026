package io.rocluster.archive;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;

/**
 * Restores a rootfs tarball faithfully and safely: ownership, modes with setuid/setgid/sticky, xattrs
 * (security.capability included), device nodes, FIFOs, symlinks with their own times, hardlinks.
 *
 * <p>Safety: the tree is built in a fresh private sibling directory of the target and renamed into place
 * only when complete, so the target is either untouched or whole. Every entry is checked against what
 * this extraction has created so far (never against the live file system): a name with {@code ..}, an
 * absolute name, a NUL, a path below a symlink or a non-directory, a hardlink to anything not extracted
 * before it, or a second entry for an existing path (other than a directory repeated) is refused with
 * one line. Symlinks are created as given (absolute targets such as /etc/localtime are legitimate) and
 * never followed.
 *
 * <p>Per file the order is: data, lchown, chmod, xattrs, times (chown clears setuid bits and file
 * capabilities); directories get their metadata last, deepest first.
 */
public final class Extractor {

    /**
     * Lets a caller (deploy's OSTree-style dedup) supply an existing file instead of the entry's data.
     * Called for each regular file before its data is read.
     */
    @FunctionalInterface
    public interface ReuseHook {
        /**
         * @param entry the entry's header; {@code name()} is the normalised relative path
         * @return an existing file to hardlink in place of the entry (its content and metadata must already
         *         match: it is linked as is, and the entry's bytes are skipped), or null to write the data
         */
        Path reuse(TarEntry entry) throws IOException;
    }

    /**
     * @param reuse      the dedup hook, or null
     * @param progress   called with the number of archive bytes (as stored, compressed) consumed so far,
     *                   after each entry; or null
     * @param sync       make the tree durable before it is renamed into place: one sync of its file system
     *                   (syncfs), not an fsync per file; without it the caller makes it durable with one barrier
     *                   of its own that also covers what it adds beside it ({@link Durable#syncFileSystem}; deploy:
     *                   the boot files, deploy.json, the TFTP links) before anything becomes visible. Either way
     *                   write-back of the files starts while they are extracted ({@link WriteBack})
     * @param index      the index the tar must agree with one to one, content digests included; or null
     * @param tarDigest  compute the SHA-256 of the whole tar stream ({@link Result#tarSha256()}, else null)
     * @param stored     a digest to feed the archive's bytes as stored (compressed) while they are read, so that
     *                   a caller checks the file's checksum in the same pass; or null
     */
    public record Options(ReuseHook reuse, LongConsumer progress, boolean sync, IndexCheck index,
            boolean tarDigest, Sha256 stored) {
        /** Without an index, with the stream digest. */
        public Options(ReuseHook reuse, LongConsumer progress, boolean sync) {
            this(reuse, progress, sync, null, true, null);
        }

        /** No hook, no progress, durable. */
        public static Options defaults() {
            return new Options(null, null, true);
        }
    }

    /**
     * @param entries   tar entries restored, the root entry included
     * @param tarSize   bytes of the uncompressed tar stream
     * @param tarSha256 SHA-256 of the uncompressed tar stream, or null when not asked for
     * @param reused    regular files hardlinked from the reuse hook's files
     * @param warnings  one line per kind of thing the archive holds that was not restored (a volume label,
     *                  NFSv4 ACLs, unknown pax keywords, ACLs naming users the image does not define), each
     *                  naming the first entries; empty for rocluster's own archives
     */
    public record Result(long entries, long tarSize, String tarSha256, long reused, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    private record DirMeta(String path, TarEntry entry) {}

    /** ACLs whose names wait for the image's etc/passwd and etc/group, which may come later in the archive. */
    private record NamedAcls(String path, Map<String, PosixAcl> acls) {}

    private final Path aside;
    private final Options options;
    /** Everything this extraction created: path to kind. Authoritative, so no lstat is needed to check. */
    private final Map<String, FileEntry.Type> created = new HashMap<>();
    private final List<DirMeta> dirs = new ArrayList<>();
    private final List<NamedAcls> namedAcls = new ArrayList<>();
    private final ArchiveWarnings warnings = new ArchiveWarnings();
    private TarEntry rootMeta;
    private ExtractTarget target;
    private FileContents contents;
    private String checkedParent = "";
    private long reused;
    private WriteBack writeBack;

    private Extractor(Path aside, Options options) {
        this.aside = aside;
        this.options = options;
        created.put("", FileEntry.Type.DIRECTORY);
    }

    /**
     * Loads what an extraction needs before it starts (zstd's native library, libc's and libcrypto's bindings), so
     * that a caller with other work before the extraction (deploy: reading the master and the manifest) does it on
     * another thread meanwhile; an extraction without it loads the same on first use.
     */
    public static void warmUp() {
        com.github.luben.zstd.util.Native.load();
        Sha256.create().digest();
        ExtractTarget.bind();
    }

    /** Extracts archive file {@code archive} (any supported compression) into {@code dir}. */
    public static Result extract(Path archive, Path dir, Options options) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new RoclusterException(archive + " is not a file; give the path of a rootfs tarball");
        }
        try (InputStream in = Files.newInputStream(archive)) {
            return extract(in, dir, options);
        }
    }

    /** Extracts an archive stream (any supported compression) into {@code dir}. */
    public static Result extract(InputStream archive, Path dir, Options options) throws IOException {
        RootfsPacker.requireUtf8FileNames();
        Path target = dir.toAbsolutePath().normalize();
        checkTarget(target);
        Path aside = target.resolveSibling("." + target.getFileName() + ".unpack-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.createDirectory(aside, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        boolean done = false;
        try {
            Extractor x = new Extractor(aside, options);
            HashingInputStream counted = new HashingInputStream(archive, options.stored());
            Result r;
            try (ExtractTarget t = ExtractTarget.open(aside);
                    FileContents contents = new FileContents(options.index());
                    TarReader reader = new TarReader(Compression.decompress(counted),
                            options.tarDigest() ? Sha256.create() : Sha256.NONE)) {
                x.target = t;
                x.contents = contents;
                // Every extraction ends durable (its own sync, or the caller's barrier): write-back starts while it
                // runs, so that the final sync finds at most one step of file data left to write.
                try (WriteBack writeBack = new WriteBack(t::syncFileSystem, WriteBack.STEP)) {
                    x.writeBack = writeBack;
                    r = x.run(reader, counted);
                }
                if (options.sync()) {
                    // One barrier for the whole tree. Starting each file's write-back as it is closed
                    // (sync_file_range) shortened this sync of a 672 MB tree from 0.4 s to 15 ms but cost 1.3 s of
                    // CPU on the extracting thread; the write-back thread's syncfs every 64 MiB costs it nothing.
                    t.syncFileSystem();
                }
            }
            if (options.sync()) {
                Durable.rename(aside, target);
            } else {
                // The caller's own barrier covers this rename too (or nothing needs to be durable).
                Files.move(aside, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            done = true;
            return r;
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } finally {
            if (!done) {
                FileTrees.delete(aside);
            }
        }
    }

    private static void checkTarget(Path target) throws IOException {
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new RoclusterException("cannot unpack into " + target + ": its parent directory does not exist;"
                    + " create it first");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            boolean emptyDir = false;
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(target)) {
                    emptyDir = !ds.iterator().hasNext();
                }
            }
            if (!emptyDir) {
                throw new RoclusterException("cannot unpack into " + target
                        + ": it exists and is not an empty directory; choose a new directory or empty it");
            }
        }
    }

    private Result run(TarReader reader, HashingInputStream counted) throws IOException {
        long entries = 0;
        for (TarEntry e = reader.next(); e != null; e = reader.next()) {
            String path = EntryNames.normalise(e.name(), "");
            FileEntry indexed = options.index() == null || path.isEmpty() ? null : options.index().expect(path, e);
            restore(path, e, reader, indexed);
            if (!reader.namedAcls().isEmpty()) {
                namedAcls.add(new NamedAcls(path, reader.namedAcls()));
            }
            entries++;
            if (options.progress() != null) {
                options.progress().accept(counted.count());
            }
        }
        contents.finish();
        if (options.index() != null) {
            options.index().finish();
        }
        finishDirectories();
        applyNamedAcls();
        List<String> lines = new ArrayList<>(reader.warnings());
        lines.addAll(warnings.lines());
        return new Result(entries, reader.position(), options.tarDigest() ? reader.sha256Hex() : null, reused, lines);
    }

    /** Restores one entry; {@code indexed} is its index entry when the tar is held to an index, else null. */
    private void restore(String path, TarEntry e, TarReader reader, FileEntry indexed) throws IOException {
        if (path.isEmpty()) {
            if (e.type() != FileEntry.Type.DIRECTORY) {
                throw hostile(e, "makes the archive root a " + e.type().toString().toLowerCase());
            }
            rootMeta = e;
            return;
        }
        checkParents(path, e);
        FileEntry.Type existing = created.get(path);
        if (existing != null) {
            if (existing == FileEntry.Type.DIRECTORY && e.type() == FileEntry.Type.DIRECTORY) {
                dirs.add(new DirMeta(path, e)); // a repeated directory: its last metadata wins
                return;
            }
            throw hostile(e, existing == FileEntry.Type.DIRECTORY
                    ? "would replace a directory" : "repeats an entry already extracted");
        }
        switch (e.type()) {
            case DIRECTORY -> {
                target.mkdir(path);
                dirs.add(new DirMeta(path, e));
            }
            case FILE -> {
                // A file whose ACLs are still to be resolved is not in the hook's terms: write it.
                Path existingFile = options.reuse() == null || !reader.namedAcls().isEmpty() ? null
                        : options.reuse().reuse(e.withName(path));
                if (existingFile != null) {
                    target.linkFrom(path, existingFile);
                    reused++;
                    created.put(path, FileEntry.Type.FILE);
                    if (indexed != null) {
                        // Linked or written, a file must have the content the index claims, read from the tar.
                        contents.transfer(reader, null, indexed);
                    }
                    return; // linked as is: its metadata is the earlier version's, which the hook matched
                }
                ExtractTarget.NewFile out = target.create(path);
                try {
                    contents.transfer(reader, out, indexed);
                    out.finish(e);
                    if (writeBack != null) {
                        writeBack.written(e.size());
                    }
                } finally {
                    out.abandon();
                }
            }
            case SYMLINK -> {
                target.symlink(path, e.linkTarget());
                target.metadata(path, e);
            }
            case HARDLINK -> {
                String to = EntryNames.normalise(e.linkTarget(), "");
                checkParents(to, e);
                FileEntry.Type t = created.get(to);
                if (t == null || t == FileEntry.Type.DIRECTORY || to.isEmpty()) {
                    throw hostile(e, "is a hardlink to '" + EntryNames.printable(e.linkTarget())
                            + "', which is not a file extracted before it");
                }
                target.link(path, to);
            }
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> {
                int kind = e.type() == FileEntry.Type.CHAR_DEVICE ? 0020000
                        : e.type() == FileEntry.Type.BLOCK_DEVICE ? 0060000 : 0010000;
                target.mknod(path, kind | 0600, e.devMajor(), e.devMinor());
                target.metadata(path, e);
            }
        }
        created.put(path, e.type() == FileEntry.Type.HARDLINK ? created.get(
                EntryNames.normalise(e.linkTarget(), "")) : e.type());
    }

    /**
     * Every ancestor of {@code path} must be a directory this extraction made; missing ones are created
     * (0755, root) as other tar implementations do. Consecutive entries share a parent, so the last
     * checked one is remembered.
     */
    private void checkParents(String path, TarEntry e) throws IOException {
        String parent = EntryNames.parent(path);
        if (parent.equals(checkedParent)) {
            return;
        }
        int from = 0;
        while (from <= parent.length() && !parent.isEmpty()) {
            int slash = parent.indexOf('/', from);
            String ancestor = slash < 0 ? parent : parent.substring(0, slash);
            FileEntry.Type t = created.get(ancestor);
            if (t == null) {
                target.mkdir(ancestor);
                created.put(ancestor, FileEntry.Type.DIRECTORY);
            } else if (t == FileEntry.Type.SYMLINK) {
                throw hostile(e, "goes through the symlink '" + ancestor + "'");
            } else if (t != FileEntry.Type.DIRECTORY) {
                throw hostile(e, "goes through '" + ancestor + "', which is not a directory");
            }
            if (slash < 0) {
                break;
            }
            from = slash + 1;
        }
        checkedParent = parent;
    }

    private void finishDirectories() throws IOException {
        dirs.sort(Comparator.comparingInt((DirMeta d) -> depth(d.path())).reversed());
        for (DirMeta d : dirs) {
            target.metadata(d.path(), d.entry());
        }
        if (rootMeta != null) {
            target.metadata("", rootMeta);
        } else {
            Libc.chmod(aside, 0755);
        }
    }

    /**
     * Sets the ACLs that name users or groups (GNU tar's text has names only), with ids from the image's own
     * etc/passwd and etc/group, which this extraction wrote: the host's users mean nothing to the image.
     * Last, after the directories' modes, as setting an access ACL sets the group bits from its mask.
     */
    private void applyNamedAcls() throws IOException {
        if (namedAcls.isEmpty()) {
            return;
        }
        Map<String, Long> users = idsFrom("etc/passwd");
        Map<String, Long> groups = idsFrom("etc/group");
        for (NamedAcls n : namedAcls) {
            for (Map.Entry<String, PosixAcl> a : n.acls().entrySet()) {
                PosixAcl resolved = a.getValue().resolve(users, groups);
                if (resolved == null) {
                    warnings.add("POSIX ACLs not restored: they name users or groups (GNU tar stores names,"
                            + " not ids) that the archive's own etc/passwd and etc/group do not define",
                            n.path().isEmpty() ? "./" : n.path());
                    continue;
                }
                byte[] value;
                try {
                    value = resolved.xattr();
                } catch (IllegalArgumentException e) {
                    throw new RoclusterException("corrupt tar archive: an invalid POSIX ACL for '"
                            + EntryNames.printable(n.path()) + "' (" + e.getMessage()
                            + "); the file is damaged, fetch or rebuild it");
                }
                Libc.setXattr(aside.resolve(n.path()), a.getKey(), value);
            }
        }
    }

    /**
     * Name to id from a passwd or group file this extraction made (a regular file below directories it
     * made, so reading it follows no symlink); empty when there is none.
     */
    private Map<String, Long> idsFrom(String path) throws IOException {
        Map<String, Long> ids = new HashMap<>();
        Path p = aside.resolve(path);
        if (created.get(path) != FileEntry.Type.FILE || Files.size(p) > 16 << 20) {
            return ids;
        }
        for (String line : new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length >= 3 && !f[0].isEmpty()) {
                try {
                    ids.putIfAbsent(f[0], Long.parseLong(f[2].strip()));
                } catch (NumberFormatException e) {
                    // not an entry: skipped, as getpwnam skips it
                }
            }
        }
        return ids;
    }

    private static int depth(String path) {
        int n = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }

    private static RoclusterException hostile(TarEntry e, String what) {
        return new RoclusterException("refusing archive: entry '" + EntryNames.printable(e.name()) + "' " + what
                + "; use an archive made by rocluster pack");
    }
}

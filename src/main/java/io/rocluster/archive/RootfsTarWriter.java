package io.rocluster.archive;

import io.rocluster.RoclusterException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The deterministic half of packing, shared by every source: it receives entries in canonical order
 * (and checks that they are), applies the contract (mtime clamping, excluded contents, numeric ids,
 * hardlinks as links to the first occurrence) and writes them, emitting the per-file index on the way.
 * A source only has to say what is there.
 */
final class RootfsTarWriter {

    /**
     * A regular file's content, copied into the tar only if the writer needs it (not for a hardlink or an
     * excluded path).
     */
    interface Content {
        /**
         * Writes exactly {@code size} bytes with {@code tar}, hashing them with {@code digest}.
         *
         * @throws EOFException if fewer bytes are there
         */
        void copyTo(TarWriter tar, long size, Sha256 digest) throws IOException;
    }

    private record Linked(String path, FileEntry.Type type, String sha256) {}

    private final TarWriter tar;
    private final PackOptions options;
    private final Consumer<FileEntry> index;
    /** Whether files are hashed one by one: only for an index (the tar digest is the TarWriter's). */
    private final boolean fileDigests;
    /** Hardlink identities: (dev, ino) for a directory, the member path for a stream. */
    private final Map<Object, Linked> links = new HashMap<>();
    /** A stream names hardlink targets by path, so every non-directory must be remembered. */
    private final boolean linksByPath;
    private byte[] previous;
    private long entries;

    RootfsTarWriter(TarWriter tar, PackOptions options, Consumer<FileEntry> index, boolean linksByPath) {
        this.tar = tar;
        this.linksByPath = linksByPath;
        this.options = options;
        this.index = index == null ? e -> { } : index;
        this.fileDigests = index != null;
    }

    /** True if {@code path} lies inside a directory whose contents are left out. */
    boolean excluded(String path) {
        if (!options.excludeContents()) {
            return false;
        }
        int slash = path.indexOf('/');
        return slash > 0 && PackOptions.EXCLUDED_CONTENTS.contains(path.substring(0, slash));
    }

    /**
     * Adds one entry.
     *
     * @param path     normalised relative path, "" for the root
     * @param e        its metadata (name ignored); type HARDLINK with a normalised target path for a
     *                 stream's hardlink
     * @param identity for a directory source, the inode identity of a multiply linked non-directory (the
     *                 first occurrence holds the data, later ones become hardlinks to it); else null
     * @param content  a regular file's content, opened only when written
     * @return false if the entry was left out (excluded), so a stream source knows to skip its data
     */
    boolean add(String path, TarEntry e, Object identity, Content content) throws IOException {
        checkOrder(path);
        if (excluded(path)) {
            return false;
        }
        long mtime = e.mtime();
        if (options.sourceDateEpoch().isPresent()) {
            mtime = Math.min(mtime, options.sourceDateEpoch().getAsLong());
        }
        FileEntry.Type type = e.type();
        String link = e.linkTarget();
        String sha = null;
        Map<String, byte[]> xattrs = e.xattrs();
        Linked first = identity == null ? null : links.get(identity);
        if (type == FileEntry.Type.HARDLINK) {
            first = links.get(link);
            if (first == null) {
                throw new RoclusterException("hardlink '" + path + "' points to '" + link
                        + "', which is not earlier in the stream (or lies in an excluded directory);"
                        + " stream the whole root in canonical order");
            }
        }
        if (first != null) {
            // The inode's metadata travels with the first occurrence; a hardlink carries only the name.
            type = FileEntry.Type.HARDLINK;
            link = first.path();
            sha = first.sha256();
            xattrs = Map.of();
        }
        long size = type == FileEntry.Type.FILE ? e.size() : 0;
        boolean device = type == FileEntry.Type.CHAR_DEVICE || type == FileEntry.Type.BLOCK_DEVICE;
        TarEntry out = new TarEntry(EntryNames.memberName(path, type), type, e.mode() & 07777, e.uid(), e.gid(),
                size, mtime, type == FileEntry.Type.SYMLINK || type == FileEntry.Type.HARDLINK ? link : null,
                device ? e.devMajor() : 0, device ? e.devMinor() : 0, xattrs);
        tar.putEntry(out);
        if (type == FileEntry.Type.FILE) {
            Sha256 d = fileDigests ? Sha256.create() : Sha256.NONE;
            if (size > 0) {
                try {
                    content.copyTo(tar, size, d);
                } catch (EOFException shrunk) {
                    throw new RoclusterException("'" + path + "' changed size while being packed ("
                            + shrunk.getMessage() + "); pack a root that nothing is writing to");
                }
            }
            sha = fileDigests ? d.hex() : null;
        }
        if (type != FileEntry.Type.DIRECTORY && type != FileEntry.Type.HARDLINK) {
            Linked l = new Linked(path, type, sha);
            if (identity != null) {
                links.put(identity, l);
            } else if (linksByPath) {
                links.put(path, l);
            }
        }
        entries++;
        if (!path.isEmpty()) {
            index.accept(new FileEntry(path, type, out.mode(), out.uid(), out.gid(), size, sha, out.linkTarget(),
                    out.devMajor(), out.devMinor(), mtime, base64(xattrs)));
        }
        return true;
    }

    long entries() {
        return entries;
    }

    private void checkOrder(String path) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        if (previous != null && CanonicalOrder.comparePaths(previous, b) >= 0) {
            String prev = new String(previous, StandardCharsets.UTF_8);
            throw new RoclusterException("entries are not in canonical order: '" + path + "' comes after '"
                    + prev + "' (expected depth-first, siblings sorted by name bytes, each path once);"
                    + " stream the root with a sorted walk (Docker archive API, tar --sort=name)");
        }
        previous = b;
    }

    private static Map<String, String> base64(Map<String, byte[]> xattrs) {
        if (xattrs.isEmpty()) {
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>();
        xattrs.forEach((k, v) -> m.put(k, Base64.getEncoder().encodeToString(v)));
        return java.util.Collections.unmodifiableMap(m);
    }
}

package io.rocluster.master;

import io.rocluster.archive.Extractor;
import io.rocluster.archive.FileEntry;
import io.rocluster.archive.FileStat;
import io.rocluster.archive.TarEntry;
import io.rocluster.artefact.Manifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deploy's OSTree-style deduplication: a regular file of the new version whose content (sha256 from the
 * new manifest's per-file index) and metadata (mode, owner, mtime, xattrs) equal a file of the base
 * version is hardlinked to it instead of written. Versions are immutable, so sharing inodes is safe;
 * matching by content rather than path also shares files that moved.
 *
 * <p>Before a base file is linked, one lstat confirms it still has the size, mode, owner and mtime its
 * manifest records (a tampered base file is written afresh, not spread), and each base inode is linked
 * at most once per version, so dedup never creates hardlinks inside the new tree that its manifest does
 * not have (verify compares the hardlink structure too).
 */
final class Dedup implements Extractor.ReuseHook {

    private record Inode(long dev, long ino) {}

    /** What makes two files interchangeable. */
    private record Key(String sha256, long size, int mode, long uid, long gid, long mtime, Map<String, String> xattrs) {
        static Key of(FileEntry e) {
            return new Key(e.sha256(), e.size(), e.mode(), e.uid(), e.gid(), e.mtime(), e.xattrs());
        }
    }

    /** ext4 allows 65000 links per inode; stay clear of it and write the data instead. */
    private static final long MAX_LINKS = 60000;

    private final Map<String, FileEntry> incoming = new HashMap<>();
    /** Base paths by key: several when the base holds identical copies (each its own inode) at several paths. */
    private final Map<Key, List<String>> base = new HashMap<>();
    private final Path baseRoot;
    /** The base root with symlinks resolved, once (null until then, and when it cannot be: nothing is linked). */
    private Path realBaseRoot;
    /** Directories of the base root already proven to be real directories inside it (no symlink on the way). */
    private final Set<String> realParents = new HashSet<>();
    private final Set<Inode> usedInodes = new HashSet<>();
    private long filesLinked;
    private long bytesLinked;
    private long sharable;

    /**
     * @param incoming the new version's manifest
     * @param baseManifest the base version's manifest, or null for no dedup
     * @param baseRoot the base version's root directory (unused without a base manifest)
     */
    Dedup(Manifest incoming, Manifest baseManifest, Path baseRoot) {
        this.baseRoot = baseRoot;
        for (FileEntry e : incoming.files()) {
            if (e.type() == FileEntry.Type.FILE) {
                this.incoming.put(e.path(), e);
            }
        }
        if (baseManifest != null) {
            for (FileEntry e : baseManifest.files()) {
                if (e.type() == FileEntry.Type.FILE && e.sha256() != null) {
                    base.computeIfAbsent(Key.of(e), k -> new ArrayList<>(1)).add(e.path());
                }
            }
            for (FileEntry e : this.incoming.values()) {
                if (base.containsKey(Key.of(e))) {
                    sharable += e.size();
                }
            }
        }
    }

    /** Content bytes of incoming files that a base file matches: what dedup expects not to write. */
    long sharableBytes() {
        return sharable;
    }

    @Override
    public Path reuse(TarEntry entry) throws IOException {
        if (base.isEmpty()) {
            return null;
        }
        FileEntry e = incoming.get(entry.name());
        if (e == null || !sameHeader(entry, e)) {
            // Not in the index, or the index disagrees with the tar: write what the tar says.
            return null;
        }
        List<String> paths = base.get(Key.of(e));
        if (paths == null) {
            return null;
        }
        // The same path first (an unchanged file), then any other copy: with identical copies at several
        // paths, each new copy can then share an inode of its own, since an inode is linked at most once.
        if (paths.contains(e.path())) {
            Path same = linkable(e.path(), e);
            if (same != null) {
                return same;
            }
        }
        for (String path : paths) {
            if (!path.equals(e.path())) {
                Path other = linkable(path, e);
                if (other != null) {
                    return other;
                }
            }
        }
        return null;
    }

    /** The base file at {@code path} if it is intact and its inode not yet linked into this version; else null. */
    private Path linkable(String path, FileEntry e) {
        if (!insideBase(path)) {
            return null;
        }
        Path candidate = baseRoot.resolve(path);
        FileStat a;
        try {
            a = FileStat.lstat(candidate);
        } catch (IOException gone) {
            return null;
        }
        boolean intact = a.isRegularFile() && (a.mode() & 07777) == e.mode() && a.uid() == e.uid()
                && a.gid() == e.gid() && a.size() == e.size() && a.mtime() == e.mtime() && a.nlink() < MAX_LINKS;
        if (!intact || !usedInodes.add(new Inode(a.dev(), a.ino()))) {
            return null;
        }
        filesLinked++;
        bytesLinked += e.size();
        return candidate;
    }

    /**
     * Whether {@code path}'s directory is a real directory of the base root: a symlink anywhere on the way
     * (a tampered base, or a manifest that lies about it) would make a link to a file outside the master.
     * The last component is checked by the caller's lstat (a regular file, not a symlink).
     */
    private boolean insideBase(String path) {
        int slash = path.lastIndexOf('/');
        return realDirectory(slash < 0 ? "" : path.substring(0, slash));
    }

    /**
     * Whether {@code dir} (relative to the base root) is a directory and no symlink: its parent is one (checked
     * once per directory, remembered) and an lstat of it says directory.
     */
    private boolean realDirectory(String dir) {
        if (realParents.contains(dir)) {
            return true;
        }
        try {
            if (dir.isEmpty()) {
                realBaseRoot = baseRoot.toRealPath();
            } else {
                int slash = dir.lastIndexOf('/');
                if (!realDirectory(slash < 0 ? "" : dir.substring(0, slash))
                        || !FileStat.lstat(realBaseRoot.resolve(dir)).isDirectory()) {
                    return false;
                }
            }
        } catch (IOException gone) {
            return false;
        }
        realParents.add(dir);
        return true;
    }

    private static boolean sameHeader(TarEntry t, FileEntry e) {
        if (t.mode() != e.mode() || t.uid() != e.uid() || t.gid() != e.gid() || t.size() != e.size()
                || t.mtime() != e.mtime() || t.xattrs().size() != e.xattrs().size()) {
            return false;
        }
        Base64.Encoder b64 = Base64.getEncoder();
        for (Map.Entry<String, byte[]> x : t.xattrs().entrySet()) {
            if (!b64.encodeToString(x.getValue()).equals(e.xattrs().get(x.getKey()))) {
                return false;
            }
        }
        return true;
    }

    long filesLinked() {
        return filesLinked;
    }

    long bytesLinked() {
        return bytesLinked;
    }
}

package io.rocluster.archive;

import io.rocluster.RoclusterException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Holds a tar to the per-file index its manifest gives, one to one: every tar entry (but the root) is in the
 * index with the same type, mode, owner, size, mtime, link target, device numbers and xattrs; every index
 * entry is in the tar; every regular file's content has the index's sha256, computed by the extractor from
 * the tar's bytes as it writes them (or reads past them, for a file deploy hardlinks instead). An index that
 * lies would otherwise steer dedup, verify and diff while the tar put something else on disk.
 */
public final class IndexCheck {

    private final Map<String, FileEntry> byPath;
    private final Map<String, Boolean> seen;

    /**
     * @param index the manifest's per-file index (paths already checked to be normalised and unique)
     */
    public IndexCheck(List<FileEntry> index) {
        byPath = new HashMap<>(index.size() * 2);
        for (FileEntry f : index) {
            byPath.put(f.path(), f);
        }
        seen = new HashMap<>(index.size() * 2);
    }

    /**
     * The index entry of tar entry {@code e} at normalised {@code path}, after checking that they agree.
     *
     * @throws RoclusterException when the tar entry is not in the index, is there twice, or differs from it
     */
    FileEntry expect(String path, TarEntry e) {
        FileEntry f = byPath.get(path);
        if (f == null) {
            throw refuse("tar entry '" + EntryNames.printable(path) + "' is not in the index");
        }
        if (seen.put(path, Boolean.TRUE) != null) {
            throw refuse("tar entry '" + EntryNames.printable(path) + "' appears twice");
        }
        String link = e.type() == FileEntry.Type.HARDLINK ? EntryNames.normalise(e.linkTarget(), "") : e.linkTarget();
        String differs = f.type() != e.type() ? "type (tar " + name(e.type()) + ", index " + name(f.type()) + ")"
                : f.mode() != e.mode() ? String.format("mode (tar %04o, index %04o)", e.mode(), f.mode())
                : f.uid() != e.uid() || f.gid() != e.gid()
                        ? "owner (tar " + e.uid() + ":" + e.gid() + ", index " + f.uid() + ":" + f.gid() + ")"
                : f.size() != e.size() ? "size (tar " + e.size() + ", index " + f.size() + ")"
                : f.mtime() != e.mtime() ? "mtime (tar " + e.mtime() + ", index " + f.mtime() + ")"
                : !Objects.equals(f.linkTarget(), link) ? "link target"
                : f.devMajor() != e.devMajor() || f.devMinor() != e.devMinor() ? "device numbers"
                : !sameXattrs(e.xattrs(), f.xattrs()) ? "extended attributes"
                : f.type() == FileEntry.Type.FILE && (f.sha256() == null || f.sha256().length() != 64)
                        ? "content digest (the index has none)"
                : null;
        if (differs != null) {
            throw refuse("'" + EntryNames.printable(path) + "' differs in " + differs);
        }
        if (f.type() == FileEntry.Type.HARDLINK) {
            FileEntry target = byPath.get(link);
            if (target != null && !Objects.equals(target.sha256(), f.sha256())) {
                throw refuse("hardlink '" + EntryNames.printable(path) + "' has another digest than its target");
            }
        }
        return f;
    }

    /** Checks the digest the extractor computed from the tar's bytes of {@code f}'s content. */
    void content(FileEntry f, String sha256) {
        if (!f.sha256().equals(sha256)) {
            throw refuse("the content of '" + EntryNames.printable(f.path()) + "' does not have the index's sha256 (index "
                    + f.sha256().substring(0, 12) + "…, tar " + sha256.substring(0, 12) + "…)");
        }
    }

    /** After the last tar entry: every index entry must have been in the tar. */
    void finish() {
        if (seen.size() != byPath.size()) {
            for (String p : byPath.keySet()) {
                if (!seen.containsKey(p)) {
                    throw refuse("index entry '" + EntryNames.printable(p) + "' is not in the tar");
                }
            }
        }
    }

    private static boolean sameXattrs(Map<String, byte[]> tar, Map<String, String> index) {
        Map<String, String> idx = index == null ? Map.of() : index;
        if (tar.size() != idx.size()) {
            return false;
        }
        Base64.Encoder b64 = Base64.getEncoder();
        for (Map.Entry<String, byte[]> x : tar.entrySet()) {
            if (!b64.encodeToString(x.getValue()).equals(idx.get(x.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static String name(FileEntry.Type t) {
        return t.name().toLowerCase().replace('_', ' ');
    }

    private static RoclusterException refuse(String what) {
        return new RoclusterException("refusing artefact: its manifest's file index and its rootfs tar disagree: " + what
                + "; rebuild the artefact (the manifest was edited, or the build is damaged)");
    }
}

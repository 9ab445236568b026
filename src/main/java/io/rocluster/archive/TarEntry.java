package io.rocluster.archive;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One tar member as rocluster reads and writes it: the header fields that matter for a root file
 * system, with extended attributes kept as raw bytes (a {@code security.capability} value is binary and
 * must survive bit for bit). Unlike {@link FileEntry} it is the archive's view: {@code name} is the member
 * name as stored, not yet checked or normalised.
 *
 * @param name       member name as stored (after pax/GNU long-name resolution), e.g. {@code ./etc/},
 *                   {@code root/usr/bin/ping}; directories may end in "/"
 * @param type       entry kind
 * @param mode       permission bits, setuid/setgid/sticky included (mask 07777)
 * @param uid        numeric owner
 * @param gid        numeric group
 * @param size       bytes of content that follow the header (regular files only; else 0)
 * @param mtime      modification time, whole seconds since the epoch
 * @param linkTarget symlink target or hardlink target member name; else null
 * @param devMajor   device major number (character and block devices), else 0
 * @param devMinor   device minor number, else 0
 * @param xattrs     extended attributes, name to raw value, sorted by name bytes; never null
 */
public record TarEntry(
        String name,
        FileEntry.Type type,
        int mode,
        long uid,
        long gid,
        long size,
        long mtime,
        String linkTarget,
        int devMajor,
        int devMinor,
        Map<String, byte[]> xattrs) {

    public TarEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (xattrs == null || xattrs.isEmpty()) {
            xattrs = Map.of();
        } else {
            TreeMap<String, byte[]> sorted = new TreeMap<>(CanonicalOrder::compareNames);
            xattrs.forEach((k, v) -> sorted.put(k, v.clone()));
            xattrs = Collections.unmodifiableMap(sorted);
        }
    }

    /** The same entry under another member name. */
    public TarEntry withName(String newName) {
        return new TarEntry(newName, type, mode, uid, gid, size, mtime, linkTarget, devMajor, devMinor, xattrs);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TarEntry e)) {
            return false;
        }
        if (!(name.equals(e.name) && type == e.type && mode == e.mode && uid == e.uid && gid == e.gid
                && size == e.size && mtime == e.mtime && Objects.equals(linkTarget, e.linkTarget)
                && devMajor == e.devMajor && devMinor == e.devMinor && xattrs.size() == e.xattrs.size())) {
            return false;
        }
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            if (!Arrays.equals(x.getValue(), e.xattrs.get(x.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(name, type, mode, uid, gid, size, mtime, linkTarget, devMajor, devMinor);
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            h = 31 * h + x.getKey().hashCode() ^ Arrays.hashCode(x.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        return "TarEntry[" + name + " " + type + " " + Integer.toOctalString(mode) + " " + uid + ":" + gid
                + " size=" + size + " mtime=" + mtime + (linkTarget == null ? "" : " -> " + linkTarget)
                + (type == FileEntry.Type.CHAR_DEVICE || type == FileEntry.Type.BLOCK_DEVICE
                        ? " dev=" + devMajor + "," + devMinor : "")
                + (xattrs.isEmpty() ? "" : " xattrs=" + xattrs.keySet()) + "]";
    }
}

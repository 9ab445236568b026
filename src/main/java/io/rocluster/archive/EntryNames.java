package io.rocluster.archive;

import io.rocluster.RoclusterException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a member name as stored ({@code ./etc/}, {@code root/usr/bin/ping}) into the relative path used
 * everywhere else ({@code etc}, {@code usr/bin/ping}; {@code ""} for the archive root), refusing what a
 * hostile archive uses to escape: absolute names, {@code ..}, NUL.
 */
final class EntryNames {

    private EntryNames() {}

    /**
     * Normalises {@code raw}: drops "." and empty components, then removes {@code stripPrefix} (a path
     * such as "root", or "" for none), which the name must start with.
     *
     * @throws RoclusterException naming the entry, for an absolute name, "..", NUL, or a missing prefix
     */
    static String normalise(String raw, String stripPrefix) {
        if (raw.indexOf('\0') >= 0) {
            throw new RoclusterException("refusing archive: entry name '" + printable(raw)
                    + "' contains a NUL byte; use an archive made by rocluster pack");
        }
        if (raw.startsWith("/")) {
            throw new RoclusterException("refusing archive: entry '" + printable(raw)
                    + "' has an absolute name; use an archive of relative names (rocluster pack)");
        }
        List<String> parts = split(raw);
        for (String p : parts) {
            if (p.equals("..")) {
                throw new RoclusterException("refusing archive: entry '" + printable(raw)
                        + "' contains '..'; use an archive without parent references (rocluster pack)");
            }
        }
        List<String> prefix = split(stripPrefix);
        if (parts.size() < prefix.size() || !parts.subList(0, prefix.size()).equals(prefix)) {
            throw new RoclusterException("entry '" + printable(raw) + "' is outside '" + stripPrefix
                    + "'; stream the directory whose name was given as prefix");
        }
        return String.join("/", parts.subList(prefix.size(), parts.size()));
    }

    private static List<String> split(String s) {
        List<String> parts = new ArrayList<>();
        for (String p : s.split("/", -1)) {
            if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return parts;
    }

    /** The tar member name rocluster writes for a path: "./" for the root, "./a/b", "./a/dir/". */
    static String memberName(String path, FileEntry.Type type) {
        if (path.isEmpty()) {
            return "./";
        }
        return type == FileEntry.Type.DIRECTORY ? "./" + path + "/" : "./" + path;
    }

    /** A name safe to print on one line of an error message. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }

    static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? "" : path.substring(0, i);
    }
}

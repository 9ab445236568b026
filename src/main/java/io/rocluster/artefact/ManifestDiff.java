package io.rocluster.artefact;

import com.fasterxml.jackson.databind.JsonNode;
import io.rocluster.archive.FileEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed from one version of an image to another, from their manifests alone (no tree is read):
 * kernel, kernel command line, packages, the effective spec's fields and the per-file index.
 *
 * @param from          the older manifest's name and version
 * @param to            the newer manifest's name and version
 * @param kernel        kernel release change, or null when equal
 * @param cmdline       kernel command line change, or null when equal
 * @param sameRootfs    whether the two rootfs tar digests are equal (then no file differs)
 * @param packages      added, removed and changed packages, by name then architecture
 * @param specFields    dotted paths of the effective spec's fields that differ (e.g. {@code rwtab.dirs})
 * @param files         file changes, by path; entries differing only in mtime are not listed
 * @param mtimeOnly     number of entries whose only difference is the mtime (e.g. a new SOURCE_DATE_EPOCH)
 */
public record ManifestDiff(String from, String to, Change kernel, Change cmdline, boolean sameRootfs,
        List<PackageChange> packages, List<String> specFields, List<FileChange> files, long mtimeOnly) {

    /** A value that changed. */
    public record Change(String from, String to) {}

    /** A package added (from null), removed (to null) or changed version. */
    public record PackageChange(String name, String arch, String from, String to) {
        public char sign() {
            return from == null ? '+' : to == null ? '-' : '~';
        }
    }

    /** How a path differs. */
    public enum FileChangeKind {
        ADDED('+'), REMOVED('-'), TYPE('T'), CONTENT('M'), METADATA('m');

        private final char sign;

        FileChangeKind(char sign) {
            this.sign = sign;
        }

        public char sign() {
            return sign;
        }
    }

    /** One path's change, with a short description of what differs. */
    public record FileChange(String path, FileChangeKind kind, String detail) {}

    /** Number of file changes of one kind. */
    public long count(FileChangeKind kind) {
        return files.stream().filter(f -> f.kind() == kind).count();
    }

    /** True when nothing but build time and version differ. */
    public boolean identical() {
        return kernel == null && cmdline == null && packages.isEmpty() && specFields.isEmpty() && files.isEmpty()
                && mtimeOnly == 0;
    }

    /**
     * The difference as {@code rocluster diff} prints it: a header, the kernel, packages, spec fields and
     * file counts; each changed file too with {@code listFiles}.
     */
    public List<String> report(boolean listFiles) {
        List<String> out = new ArrayList<>();
        out.add(from + " → " + to);
        if (identical()) {
            out.add("no differences" + (sameRootfs ? " (same rootfs tar digest)" : ""));
            return out;
        }
        out.add("kernel:   " + (kernel == null ? "unchanged" : kernel.from() + " → " + kernel.to()));
        if (cmdline != null) {
            out.add("cmdline:  '" + cmdline.from() + "' → '" + cmdline.to() + "'");
        }
        long added = packages.stream().filter(p -> p.sign() == '+').count();
        long removed = packages.stream().filter(p -> p.sign() == '-').count();
        out.add(String.format("packages: %d added, %d removed, %d changed", added, removed,
                packages.size() - added - removed));
        for (PackageChange p : packages) {
            String v = p.from() == null ? p.to() : p.to() == null ? p.from() : p.from() + " → " + p.to();
            out.add("  " + p.sign() + " " + p.name() + " " + v + (p.arch() == null ? "" : " (" + p.arch() + ")"));
        }
        if (!specFields.isEmpty()) {
            out.add("spec:     " + String.join(", ", specFields));
        }
        out.add(String.format("files:    %d added, %d removed, %d changed content, %d changed type, %d changed metadata"
                        + "; %d differ only in mtime",
                count(FileChangeKind.ADDED), count(FileChangeKind.REMOVED), count(FileChangeKind.CONTENT),
                count(FileChangeKind.TYPE), count(FileChangeKind.METADATA), mtimeOnly));
        if (listFiles) {
            for (FileChange f : files) {
                out.add("  " + f.kind().sign() + " /" + f.path() + "  (" + f.detail() + ")");
            }
        } else if (!files.isEmpty()) {
            out.add("(--files lists them)");
        }
        return out;
    }

    /** Compares {@code a} (older) with {@code b} (newer). */
    public static ManifestDiff of(Manifest a, Manifest b) {
        List<FileChange> files = new ArrayList<>();
        long mtimeOnly = files(a.files(), b.files(), files);
        return new ManifestDiff(a.name() + " " + a.version(), b.name() + " " + b.version(),
                change(a.kernelVersion(), b.kernelVersion()), change(a.kernelCmdline(), b.kernelCmdline()),
                a.rootfs().tarSha256().equals(b.rootfs().tarSha256()),
                packages(a.packages(), b.packages()), specFields(a, b), files, mtimeOnly);
    }

    private static Change change(String a, String b) {
        return Objects.equals(a, b) ? null : new Change(a, b);
    }

    private static List<PackageChange> packages(List<Manifest.PackageVersion> a, List<Manifest.PackageVersion> b) {
        Map<String, Manifest.PackageVersion> before = byKey(a);
        Map<String, Manifest.PackageVersion> after = byKey(b);
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<PackageChange> out = new ArrayList<>();
        for (String k : keys) {
            Manifest.PackageVersion x = before.get(k);
            Manifest.PackageVersion y = after.get(k);
            if (x != null && y != null && x.version().equals(y.version())) {
                continue;
            }
            Manifest.PackageVersion p = y != null ? y : x;
            out.add(new PackageChange(p.name(), p.arch(), x == null ? null : x.version(), y == null ? null : y.version()));
        }
        return out;
    }

    private static Map<String, Manifest.PackageVersion> byKey(List<Manifest.PackageVersion> list) {
        Map<String, Manifest.PackageVersion> m = new TreeMap<>();
        for (Manifest.PackageVersion p : list) {
            m.put(p.name() + "\0" + p.arch(), p);
        }
        return m;
    }

    private static List<String> specFields(Manifest a, Manifest b) {
        if (a.spec() == null || b.spec() == null) {
            return a.spec() == b.spec() ? List.of() : List.of("(spec)");
        }
        JsonNode x = ManifestJson.mapper().valueToTree(a.spec());
        JsonNode y = ManifestJson.mapper().valueToTree(b.spec());
        List<String> out = new ArrayList<>();
        diffNodes("", x, y, out);
        return out;
    }

    private static void diffNodes(String path, JsonNode x, JsonNode y, List<String> out) {
        if (Objects.equals(x, y)) {
            return;
        }
        if (x != null && y != null && x.isObject() && y.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            x.fieldNames().forEachRemaining(names::add);
            y.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                diffNodes(path.isEmpty() ? n : path + "." + n, x.get(n), y.get(n), out);
            }
            return;
        }
        out.add(path);
    }

    private static Map<String, FileEntry> byPath(List<FileEntry> files) {
        Map<String, FileEntry> m = new LinkedHashMap<>();
        for (FileEntry f : files) {
            m.put(f.path(), f);
        }
        return m;
    }

    /** Adds the file changes from {@code a} to {@code b} to {@code out}; returns how many differ only in mtime. */
    private static long files(List<FileEntry> a, List<FileEntry> b, List<FileChange> out) {
        Map<String, FileEntry> before = byPath(a);
        Map<String, FileEntry> after = byPath(b);
        TreeSet<String> paths = new TreeSet<>(before.keySet());
        paths.addAll(after.keySet());
        long mtimeOnly = 0;
        for (String p : paths) {
            FileEntry x = before.get(p);
            FileEntry y = after.get(p);
            if (x == null) {
                out.add(new FileChange(p, FileChangeKind.ADDED, describe(y)));
            } else if (y == null) {
                out.add(new FileChange(p, FileChangeKind.REMOVED, describe(x)));
            } else if (x.type() != y.type()) {
                out.add(new FileChange(p, FileChangeKind.TYPE, typeName(x) + " → " + typeName(y)));
            } else {
                String content = contentChange(x, y);
                String meta = metadataChange(x, y);
                if (content != null) {
                    out.add(new FileChange(p, FileChangeKind.CONTENT, meta == null ? content : content + "; " + meta));
                } else if (meta != null) {
                    out.add(new FileChange(p, FileChangeKind.METADATA, meta));
                } else if (x.mtime() != y.mtime()) {
                    mtimeOnly++;
                }
            }
        }
        return mtimeOnly;
    }

    private static String contentChange(FileEntry x, FileEntry y) {
        return switch (x.type()) {
            case FILE -> Objects.equals(x.sha256(), y.sha256()) && x.size() == y.size() ? null
                    : x.size() == y.size() ? "content, " + y.size() + " bytes" : x.size() + " → " + y.size() + " bytes";
            case SYMLINK, HARDLINK -> Objects.equals(x.linkTarget(), y.linkTarget()) ? null
                    : "→ " + x.linkTarget() + " became → " + y.linkTarget();
            case CHAR_DEVICE, BLOCK_DEVICE -> x.devMajor() == y.devMajor() && x.devMinor() == y.devMinor() ? null
                    : "device " + x.devMajor() + ":" + x.devMinor() + " → " + y.devMajor() + ":" + y.devMinor();
            default -> null;
        };
    }

    private static String metadataChange(FileEntry x, FileEntry y) {
        List<String> parts = new ArrayList<>();
        if (x.mode() != y.mode()) {
            parts.add(String.format(Locale.ROOT, "mode %04o → %04o", x.mode(), y.mode()));
        }
        if (x.uid() != y.uid() || x.gid() != y.gid()) {
            parts.add("owner " + x.uid() + ":" + x.gid() + " → " + y.uid() + ":" + y.gid());
        }
        if (!Objects.equals(x.xattrs(), y.xattrs())) {
            TreeSet<String> names = new TreeSet<>(x.xattrs().keySet());
            names.addAll(y.xattrs().keySet());
            names.removeIf(n -> Objects.equals(x.xattrs().get(n), y.xattrs().get(n)));
            parts.add("xattrs " + String.join(", ", names));
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    private static String describe(FileEntry e) {
        return switch (e.type()) {
            case FILE -> e.size() + " bytes";
            case SYMLINK -> "→ " + e.linkTarget();
            case HARDLINK -> "hardlink to " + e.linkTarget();
            default -> typeName(e);
        };
    }

    private static String typeName(FileEntry e) {
        return e.type().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}

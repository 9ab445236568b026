package io.rocluster.artefact;

import io.rocluster.RoclusterException;
import io.rocluster.archive.FileEntry;
import io.rocluster.spec.ImageVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a manifest must be before anything acts on it, signed or not (a compromised build host must not
 * compromise the master): name and version are version strings (one safe path component); the rootfs file
 * is a plain file name; every index path is relative and normalised as tar entry names must be (no leading
 * "/", no "." or ".." component, no empty component, no NUL), unique, and every hardlink points at a regular
 * file listed before it. Whether the index and the tar agree is checked while unpacking
 * ({@link io.rocluster.archive.IndexCheck}).
 */
public final class ManifestRules {

    /** A plain file name of the artefact directory: no path separator, not hidden, no "." or "..". */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,254}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private ManifestRules() {}

    /**
     * @param m      the manifest
     * @param source the manifest's file, named in the error
     * @throws RoclusterException naming the first rule broken
     */
    public static void check(Manifest m, Object source) {
        if (!ImageVersion.isValid(m.name())) {
            throw broken(source, "name '" + printable(m.name()) + "' is not an image name (letters, digits, '.', '_', '-')");
        }
        if (!ImageVersion.isValid(m.version())) {
            throw broken(source, "version '" + printable(m.version()) + "' is not a version (letters, digits, '.', '_', '-';"
                    + " at most 64) but could be read as a path");
        }
        Manifest.Rootfs r = m.rootfs();
        if (r == null || r.file() == null || !PLAIN_NAME.matcher(r.file()).matches()) {
            throw broken(source, "rootfs.file '" + printable(r == null ? null : r.file())
                    + "' is not a plain file name inside the artefact directory");
        }
        if (r.tarSha256() == null || !SHA256.matcher(r.tarSha256()).matches() || r.compressedSha256() == null
                || !SHA256.matcher(r.compressedSha256()).matches()) {
            throw broken(source, "rootfs digests are not sha256 hex");
        }
        List<FileEntry> files = m.files() == null ? List.of() : m.files();
        Map<String, FileEntry.Type> seen = new HashMap<>(files.size() * 2);
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            String where = "files[" + i + "]";
            if (f == null || f.type() == null) {
                throw broken(source, where + " has no type");
            }
            String problem = pathProblem(f.path());
            if (problem != null) {
                throw broken(source, where + " path '" + printable(f.path()) + "' " + problem);
            }
            if (seen.put(f.path(), f.type()) != null) {
                throw broken(source, where + " path '" + printable(f.path()) + "' is listed twice");
            }
            if ((f.mode() & ~07777) != 0 || f.size() < 0 || f.type() != FileEntry.Type.FILE && f.size() != 0) {
                throw broken(source, where + " '" + printable(f.path()) + "' has an impossible mode or size");
            }
            if (f.type() == FileEntry.Type.FILE && (f.sha256() == null || !SHA256.matcher(f.sha256()).matches())) {
                throw broken(source, where + " file '" + printable(f.path()) + "' has no sha256 content digest");
            }
            if (f.type() == FileEntry.Type.SYMLINK && (f.linkTarget() == null || f.linkTarget().isEmpty()
                    || f.linkTarget().indexOf('\0') >= 0)) {
                throw broken(source, where + " symlink '" + printable(f.path()) + "' has no target");
            }
            if (f.type() == FileEntry.Type.HARDLINK) {
                String target = f.linkTarget();
                if (pathProblem(target) != null || seen.get(target) != FileEntry.Type.FILE) {
                    throw broken(source, where + " hardlink '" + printable(f.path()) + "' points at '" + printable(target)
                            + "', which is not a regular file listed before it");
                }
            }
        }
    }

    /** Why {@code path} is not a normalised relative path, or null when it is. */
    static String pathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "is empty";
        }
        if (path.indexOf('\0') >= 0) {
            return "contains a NUL byte";
        }
        if (path.startsWith("/")) {
            return "is absolute";
        }
        for (String part : path.split("/", -1)) {
            if (part.equals("..")) {
                return "contains '..'";
            }
            if (part.isEmpty() || part.equals(".")) {
                return "is not normalised (an empty or '.' component)";
            }
        }
        return null;
    }

    private static RoclusterException broken(Object source, String what) {
        return new RoclusterException(source + ": " + what + "; this manifest was not written by rocluster build:"
                + " rebuild the artefact or copy it again from its build host");
    }

    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}

package io.rocluster.master;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rocluster.archive.FileEntry;
import io.rocluster.archive.PackOptions;
import io.rocluster.archive.RootfsPacker;
import io.rocluster.artefact.Manifest;
import io.rocluster.artefact.ManifestJson;
import io.rocluster.artefact.Sha256Sums;
import io.rocluster.spec.ImageVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * {@code rocluster verify VERSION}: compares a deployed tree with its manifest's per-file index and names
 * every difference: content modified, entries missing or extra, metadata changed (type, mode, owner,
 * mtime, link target, device numbers, xattrs, hardlink structure); and checks the boot files against the
 * artefact's SHA256SUMS. The tree is read by the same walker that builds the index at pack time, so a
 * faithful deployment compares equal entry for entry.
 */
public final class VerifyService {

    /** Kinds of difference. */
    public enum Kind { modified, missing, extra, metadata }

    /**
     * One difference.
     *
     * @param kind   what kind
     * @param path   the path inside the version (root/… for the tree, boot/… for boot files)
     * @param detail what differs, expected vs found
     */
    public record Problem(Kind kind, String path, String detail) {}

    /**
     * The outcome.
     *
     * @param version  the version checked
     * @param entries  tree entries compared
     * @param problems every difference; empty when the version is intact
     */
    public record Report(String version, long entries, List<Problem> problems) {
        /** No differences (a key of {@code verify --json} too). */
        @JsonProperty("intact")
        public boolean intact() {
            return problems.isEmpty();
        }
    }

    private final MasterLayout layout;
    private final PrintStream notices;

    public VerifyService(MasterLayout layout, PrintStream notices) {
        this.layout = layout;
        this.notices = notices;
    }

    public Report verify(String version) {
        ImageVersion.check(version);
        try (MasterSession s = MasterSession.open(layout, notices)) {
            layout.requireDeployed(version);
            Manifest manifest = ManifestJson.read(layout.manifest(version));
            List<Problem> problems = new ArrayList<>();
            long entries = compareTree(version, manifest, problems);
            compareBootFiles(version, problems);
            return new Report(version, entries, problems);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long compareTree(String version, Manifest manifest, List<Problem> problems) throws IOException {
        Map<String, FileEntry> expected = new LinkedHashMap<>();
        for (FileEntry e : manifest.files()) {
            expected.put(e.path(), e);
        }
        List<FileEntry> found = new ArrayList<>();
        // Contents of /proc, /tmp… are excluded when packing a root, but anything there now is extra.
        RootfsPacker.packDirectory(layout.imageRoot(version), OutputStream.nullOutputStream(),
                new PackOptions(OptionalLong.empty(), false), found::add);
        for (FileEntry f : found) {
            FileEntry e = expected.remove(f.path());
            if (e == null) {
                problems.add(new Problem(Kind.extra, "root/" + f.path(), "not in the manifest (" + describe(f) + ")"));
            } else {
                compare(e, f, problems);
            }
        }
        for (FileEntry e : expected.values()) {
            problems.add(new Problem(Kind.missing, "root/" + e.path(), "in the manifest (" + describe(e) + ") but absent"));
        }
        return found.size();
    }

    private static void compare(FileEntry e, FileEntry f, List<Problem> problems) {
        String p = "root/" + e.path();
        boolean hasContent = e.type() == FileEntry.Type.FILE || e.type() == FileEntry.Type.HARDLINK;
        boolean sameKind = e.type() == f.type()
                || hasContent && (f.type() == FileEntry.Type.FILE || f.type() == FileEntry.Type.HARDLINK);
        if (!sameKind) {
            problems.add(new Problem(Kind.metadata, p, "type " + e.type() + " expected, found " + f.type()));
            return;
        }
        if (hasContent && (!Objects.equals(e.sha256(), f.sha256()) || e.size() != f.size())) {
            problems.add(new Problem(Kind.modified, p, "content differs: sha256 " + e.sha256() + " (" + e.size()
                    + " bytes) expected, found " + f.sha256() + " (" + f.size() + " bytes)"));
        }
        List<String> diffs = new ArrayList<>();
        if (e.type() != f.type()) {
            diffs.add(e.type() == FileEntry.Type.HARDLINK ? "hardlink to " + e.linkTarget() + " expected, found a separate file"
                    : "separate file expected, found a hardlink to " + f.linkTarget());
        } else if (e.type() == FileEntry.Type.HARDLINK && !Objects.equals(e.linkTarget(), f.linkTarget())) {
            diffs.add("hardlink to " + e.linkTarget() + " expected, found to " + f.linkTarget());
        }
        if (e.type() == FileEntry.Type.SYMLINK && !Objects.equals(e.linkTarget(), f.linkTarget())) {
            diffs.add("symlink target " + e.linkTarget() + " expected, found " + f.linkTarget());
        }
        if (e.mode() != f.mode()) {
            diffs.add(String.format("mode %04o expected, found %04o", e.mode(), f.mode()));
        }
        if (e.uid() != f.uid() || e.gid() != f.gid()) {
            diffs.add("owner " + e.uid() + ":" + e.gid() + " expected, found " + f.uid() + ":" + f.gid());
        }
        if (e.mtime() != f.mtime()) {
            diffs.add("mtime " + e.mtime() + " expected, found " + f.mtime());
        }
        if (e.devMajor() != f.devMajor() || e.devMinor() != f.devMinor()) {
            diffs.add("device " + e.devMajor() + "," + e.devMinor() + " expected, found " + f.devMajor() + "," + f.devMinor());
        }
        if (!Objects.equals(e.xattrs(), f.xattrs())) {
            diffs.add("xattrs " + e.xattrs().keySet() + " expected, found " + f.xattrs().keySet()
                    + (e.xattrs().keySet().equals(f.xattrs().keySet()) ? " (values differ)" : ""));
        }
        if (!diffs.isEmpty()) {
            problems.add(new Problem(Kind.metadata, p, String.join("; ", diffs)));
        }
    }

    private static String describe(FileEntry e) {
        return e.type().name().toLowerCase(java.util.Locale.ROOT)
                + (e.type() == FileEntry.Type.FILE ? ", " + e.size() + " bytes" : "")
                + (e.linkTarget() != null ? " -> " + e.linkTarget() : "");
    }

    private void compareBootFiles(String version, List<Problem> problems) throws IOException {
        Path image = layout.image(version);
        Path sumsFile = image.resolve(Sha256Sums.FILE_NAME);
        if (!Files.isRegularFile(sumsFile)) {
            problems.add(new Problem(Kind.missing, Sha256Sums.FILE_NAME, "the artefact's checksums are not kept with the version"));
            return;
        }
        Map<String, String> sums = Sha256Sums.read(sumsFile).digests();
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("manifest.json", image.resolve("manifest.json"));
        files.put("boot/vmlinuz", image.resolve("boot/vmlinuz"));
        files.put("boot/initramfs.img", image.resolve("boot/initramfs.img"));
        files.put("tftpboot/images/" + version + "/vmlinuz", layout.tftpImage(version).resolve("vmlinuz"));
        files.put("tftpboot/images/" + version + "/initramfs.img", layout.tftpImage(version).resolve("initramfs.img"));
        for (Map.Entry<String, Path> f : files.entrySet()) {
            String name = f.getValue().getFileName().toString();
            String want = sums.get(name);
            if (!Files.isRegularFile(f.getValue())) {
                problems.add(new Problem(Kind.missing, f.getKey(), "absent"));
            } else if (want == null) {
                problems.add(new Problem(Kind.missing, f.getKey(), name + " is not listed in " + Sha256Sums.FILE_NAME));
            } else {
                String got = Sha256Sums.sha256(f.getValue());
                if (!got.equals(want)) {
                    problems.add(new Problem(Kind.modified, f.getKey(), "sha256 " + want + " expected, found " + got));
                }
            }
        }
    }
}

package io.rocluster.artefact;

import io.rocluster.RoclusterException;
import io.rocluster.archive.Compression;
import io.rocluster.archive.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A finished artefact directory ({@code output/<name>/<version>/}): opened read-only by
 * {@code inspect}, {@code deploy} and {@code verify}. Opening only reads the manifest;
 * {@link #verify(boolean)} checks that the directory is exactly what was built.
 *
 * <p>Layout: {@code <name>-<version>.rootfs.tar.zst}, {@value #VMLINUZ}, {@value #INITRAMFS},
 * {@value #MANIFEST}, {@value #BUILD_LOG}, {@link Sha256Sums#FILE_NAME} covering every other file, and
 * optionally {@value #SIGNATURE}, the signature of SHA256SUMS.
 */
public final class ArtefactDirectory {

    public static final String MANIFEST = "manifest.json";
    public static final String VMLINUZ = "vmlinuz";
    public static final String INITRAMFS = "initramfs.img";
    public static final String BUILD_LOG = "build.log";
    /** minisign signature of SHA256SUMS; outside SHA256SUMS since it signs it. */
    public static final String SIGNATURE = Sha256Sums.FILE_NAME + ".minisig";

    /** Larger than any manifest rocluster writes (5 MB for 16,000 files) by far; a file beyond it is not one. */
    private static final long MAX_MANIFEST = 1L << 30;
    private static final long MAX_SUMS = 1L << 20;

    private final Path dir;
    private final Manifest manifest;
    private final byte[] manifestBytes;
    private final byte[] sumsBytes;
    private final byte[] signatureBytes;

    private ArtefactDirectory(Path dir, Manifest manifest, byte[] manifestBytes, byte[] sumsBytes,
            byte[] signatureBytes) {
        this.dir = dir;
        this.manifest = manifest;
        this.manifestBytes = manifestBytes;
        this.sumsBytes = sumsBytes;
        this.signatureBytes = signatureBytes;
    }

    /** The rootfs tarball's file name for an image name and version. */
    public static String rootfsFileName(String name, String version) {
        return name + "-" + version + ".rootfs.tar.zst";
    }

    /**
     * Opens an artefact directory and reads its manifest, which must keep {@link ManifestRules} (nothing else is
     * verified yet). The manifest, SHA256SUMS and the signature are read here once: what {@link #verify} checks
     * and a deploy installs are these bytes, never a second read of files that might have changed meanwhile.
     *
     * @throws RoclusterException when {@code dir} is not a directory or has no readable manifest
     */
    public static ArtefactDirectory open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new RoclusterException(dir + ": no such artefact directory: give output/<name>/<version> of a rocluster build");
        }
        Path file = dir.resolve(MANIFEST);
        if (Files.isSymbolicLink(file)) {
            throw new RoclusterException(file + " is a symlink: an artefact holds only regular files; copy the artefact"
                    + " again (cp -a, rsync) from its build host");
        }
        byte[] bytes;
        byte[] sums;
        byte[] signature;
        try {
            bytes = readSmall(file, MAX_MANIFEST);
            sums = readSmall(dir.resolve(Sha256Sums.FILE_NAME), MAX_SUMS);
            signature = readSmall(dir.resolve(SIGNATURE), MAX_SUMS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (bytes == null) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new RoclusterException(file + " is not a regular file: an artefact holds only regular files; copy"
                        + " the artefact again (cp -a, rsync) from its build host");
            }
            return new ArtefactDirectory(dir, ManifestJson.read(file), null, sums, signature); // throws: no manifest
        }
        Manifest m = ManifestJson.read(bytes, file);
        ManifestRules.check(m, file);
        return new ArtefactDirectory(dir, m, bytes, sums, signature);
    }

    /**
     * The bytes of a file of the artefact, opened without following a symlink; null when it is missing or not a
     * regular file (verify names that).
     */
    private static byte[] readSmall(Path file, long max) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] b = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (b.length > max) {
                throw new RoclusterException(file + " is larger than " + (max >> 20) + " MiB, which no artefact's "
                        + file.getFileName() + " is: copy the artefact again from its build host");
            }
            return b;
        } catch (java.nio.file.FileSystemException e) {
            if (e instanceof java.nio.file.NoSuchFileException || Files.isSymbolicLink(file)) {
                return null; // removed or replaced by a symlink since it was looked at: verify names it
            }
            throw e;
        }
    }

    /** The manifest's bytes as read by {@link #open} (the ones parsed); not to be modified. */
    public byte[] manifestBytes() {
        return manifestBytes;
    }

    /** SHA256SUMS's bytes as read by {@link #open}, or null when it was missing or not a regular file. */
    public byte[] sha256SumsBytes() {
        return sumsBytes;
    }

    /** {@value #SIGNATURE}'s bytes as read by {@link #open}, or null when it was missing or not a regular file. */
    public byte[] signatureBytes() {
        return signatureBytes;
    }

    /**
     * SHA256SUMS as read by {@link #open}.
     *
     * @throws RoclusterException when it was missing or is malformed
     */
    public Sha256Sums sha256Sums() throws IOException {
        if (sumsBytes == null) {
            throw new RoclusterException("artefact " + dir + ": " + Sha256Sums.FILE_NAME + " is missing or not a regular"
                    + " file: rebuild it or copy it again");
        }
        return Sha256Sums.parse(sumsBytes, dir.resolve(Sha256Sums.FILE_NAME).toString());
    }

    public Path dir() {
        return dir;
    }

    public Manifest manifest() {
        return manifest;
    }

    public Path rootfs() {
        return dir.resolve(manifest.rootfs().file());
    }

    public Path vmlinuz() {
        return dir.resolve(VMLINUZ);
    }

    public Path initramfs() {
        return dir.resolve(INITRAMFS);
    }

    /**
     * Checks the directory against its SHA256SUMS and manifest: every file but SHA256SUMS listed,
     * nothing listed missing, every digest equal, the manifest's rootfs file and compressed digest
     * and size matching; with {@code deep}, also decompresses the rootfs and compares the digest
     * and size of the tar stream with the manifest (seconds per GB).
     *
     * @return the problems found, each naming a file; empty when the artefact is intact
     */
    public List<String> verify(boolean deep) throws IOException {
        return verify(deep, Set.of());
    }

    /**
     * {@link #verify(boolean)}, leaving out the digests of the files in {@code hashedByCaller} (they must still be
     * present and listed): for a caller that hashes them while it reads them anyway, and compares.
     */
    public List<String> verify(boolean deep, Set<String> hashedByCaller) throws IOException {
        return verify(deep, hashedByCaller, Map.of());
    }

    /**
     * {@link #verify(boolean, Set)}, taking the digests in {@code hashedAlready} (name to hex, from
     * {@link #hashFixedFiles}) instead of reading those files again.
     */
    public List<String> verify(boolean deep, Set<String> hashedByCaller, Map<String, String> hashedAlready)
            throws IOException {
        List<String> problems = new ArrayList<>();
        if (sumsBytes == null) {
            problems.add(Sha256Sums.FILE_NAME + ": missing");
            return problems;
        }
        Map<String, String> listed = sha256Sums().digests();
        Set<String> present = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    problems.add(n + ": not a regular file (an artefact holds only files)");
                } else if (!n.equals(Sha256Sums.FILE_NAME) && !n.equals(SIGNATURE)) {
                    present.add(n);
                }
            }
        }
        for (String n : present) {
            if (!listed.containsKey(n)) {
                problems.add(n + ": not listed in " + Sha256Sums.FILE_NAME);
            }
        }
        for (Map.Entry<String, String> e : listed.entrySet()) {
            String n = e.getKey();
            if (!present.contains(n)) {
                problems.add(n + ": listed in " + Sha256Sums.FILE_NAME + " but missing");
            } else if (!hashedByCaller.contains(n) && !digest(n, hashedAlready).equals(e.getValue())) {
                problems.add(n + ": checksum mismatch (damaged or modified)");
            }
        }
        for (String required : List.of(MANIFEST, VMLINUZ, INITRAMFS, manifest.rootfs().file())) {
            if (!present.contains(required)) {
                problems.add(required + ": missing");
            }
        }
        Manifest.Rootfs r = manifest.rootfs();
        if (present.contains(r.file())) {
            if (!r.compressedSha256().equals(listed.get(r.file()))) {
                problems.add(r.file() + ": digest differs from the manifest's rootfs.compressedSha256");
            }
            if (Files.size(rootfs()) != r.compressedSize()) {
                problems.add(r.file() + ": size differs from the manifest's rootfs.compressedSize");
            }
            if (deep && problems.isEmpty()) {
                checkTarDigest(problems);
            }
        }
        return problems;
    }

    /** A file's digest: the manifest's of the bytes parsed, others' given by the caller or read now. */
    private String digest(String name, Map<String, String> hashedAlready) throws IOException {
        if (name.equals(MANIFEST) && manifestBytes != null) {
            Sha256 d = Sha256.create();
            d.update(manifestBytes, 0, manifestBytes.length);
            return d.hex();
        }
        String given = hashedAlready.get(name);
        return given != null ? given : Sha256Sums.sha256(dir.resolve(name));
    }

    /**
     * {@link #verify(boolean)}, as one error.
     *
     * @throws RoclusterException naming the first problem when the artefact is not intact
     */
    public void requireIntact(boolean deep) throws IOException {
        requireIntact(deep, Set.of(), Map.of());
    }

    /**
     * SHA-256 of the files every artefact has whatever its image ({@value #VMLINUZ}, {@value #INITRAMFS},
     * {@value #BUILD_LOG}: all but the rootfs, whose name the manifest gives, and the manifest, whose digest is of the
     * bytes {@link #open} parsed), where each is a regular file, opened without following a symlink; for
     * {@link #verify(boolean, Set, Map)}. Needs no manifest, so a caller hashes them while another thread reads it.
     */
    public static Map<String, String> hashFixedFiles(Path dir) throws IOException {
        Map<String, String> digests = new java.util.HashMap<>();
        for (String name : List.of(VMLINUZ, INITRAMFS, BUILD_LOG)) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                    digests.put(name, Sha256.hex(in));
                }
            }
        }
        return digests;
    }

    /** {@link #verify(boolean, Set, Map)}, as one error. */
    public void requireIntact(boolean deep, Set<String> hashedByCaller, Map<String, String> hashedAlready)
            throws IOException {
        List<String> problems = verify(deep, hashedByCaller, hashedAlready);
        if (!problems.isEmpty()) {
            throw new RoclusterException("artefact " + dir + ": " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : "")
                    + ": rebuild it or copy it again");
        }
    }

    /** Opens the uncompressed tar stream of the rootfs (zstd, gzip, xz or plain, by magic bytes). */
    public InputStream openRootfsTar() throws IOException {
        return Compression.decompress(Files.newInputStream(rootfs()));
    }

    private void checkTarDigest(List<String> problems) throws IOException {
        Sha256 md = Sha256.create();
        long size = 0;
        try (InputStream in = openRootfsTar()) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                size += n;
            }
        } catch (IOException | RoclusterException e) {
            problems.add(manifest.rootfs().file() + ": cannot be decompressed (" + e.getMessage() + ")");
            return;
        }
        String hex = md.hex();
        if (!hex.equals(manifest.rootfs().tarSha256()) || size != manifest.rootfs().tarSize()) {
            problems.add(manifest.rootfs().file() + ": uncompressed tar differs from the manifest's rootfs.tarSha256/tarSize");
        }
    }
}

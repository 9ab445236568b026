package io.rocluster.master;

import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import io.rocluster.archive.Extractor;
import io.rocluster.archive.FileEntry;
import io.rocluster.archive.FileTrees;
import io.rocluster.archive.HashingInputStream;
import io.rocluster.archive.IndexCheck;
import io.rocluster.archive.Sha256;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.Manifest;
import io.rocluster.artefact.ManifestJson;
import io.rocluster.artefact.ManifestRules;
import io.rocluster.artefact.Sha256Sums;
import io.rocluster.artefact.signature.ArtefactVerifier;
import io.rocluster.artefact.signature.MinisignPublicKey;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.ImageVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code rocluster deploy ARTEFACT}: puts a built version on the master, complete or not at all.
 *
 * <ol>
 *   <li>Checks before anything is written ({@link ArtefactVerifier}): on a master that trusts keys, SHA256SUMS
 *       carries a valid signature by one of them; SHA256SUMS covers exactly the artefact's files and matches
 *       every one of them; the manifest names this rootfs with its size and digest; the image mounts its
 *       state from this master (spec nfs.server and nfs.masterRoot equal master.yaml's server and
 *       clientRoot — refused otherwise, since its clients would mount state from elsewhere); the version
 *       is new, or the very same artefact (then nothing is done).</li>
 *   <li>Unpacks the rootfs with the safe extractor into {@code images/.incoming-<v>-*}, hardlinking files
 *       identical in content and metadata to the newest deployed version ({@link Dedup}); in the same single
 *       pass every tar entry is held to the manifest's index and every file's content (written or linked) to
 *       its digest there ({@link IndexCheck}) — otherwise the incoming directory is dropped and the master is
 *       as it was. The tar stream's own digest is not computed: the compressed file's bytes are SHA256SUMS's
 *       (signed, on a trusting master), and entry by entry the tar is the index, so a second hash of the same
 *       bytes would prove nothing more (inspect still checks rootfs.tarSha256).</li>
 *   <li>Copies kernel, initramfs, manifest and SHA256SUMS beside the root, writes deploy.json, links the
 *       boot files into {@code tftpboot/images/<v>/}, syncs, and renames the directory to
 *       {@code images/<v>}: the commit point.</li>
 * </ol>
 *
 * Runs under the master lock from start to end: two deploys (or a deploy and a promote) never interleave.
 */
public final class DeployService {

    /** Receives progress: a phase name and bytes done out of total (total 0 when unknown). */
    @FunctionalInterface
    public interface Progress {
        void update(String phase, long done, long total);
    }

    /**
     * What deploy did.
     *
     * @param version the version
     * @param changed false when this artefact was already deployed (nothing was written)
     * @param record  the version's deploy.json
     */
    public record Result(String version, boolean changed, DeployRecord record) {}

    private final MasterLayout layout;
    private final PrintStream notices;

    public DeployService(MasterLayout layout, PrintStream notices) {
        this.layout = layout;
        this.notices = notices;
    }

    /** {@link #deploy(Path, boolean, Progress)} without --allow-unsigned. */
    public Result deploy(Path artefactDir, Progress progress) {
        return deploy(artefactDir, false, progress, null);
    }

    /**
     * Deploys an artefact directory.
     *
     * @param allowUnsigned on a master that trusts keys, deploy an artefact without a trusted signature anyway
     *                      (deploy.json then says "unsigned", and promote wants --allow-unsigned too)
     */
    public Result deploy(Path artefactDir, boolean allowUnsigned, Progress progress) {
        return deploy(artefactDir, allowUnsigned, progress, null);
    }

    /**
     * {@link #deploy(Path, boolean, Progress)}; {@code origin}, when given, is what deploy.json records as the
     * artefact's source instead of the directory (e.g. the registry reference a pulled copy came from).
     */
    public Result deploy(Path artefactDir, boolean allowUnsigned, Progress progress, String origin) {
        Progress p = progress == null ? (phase, done, total) -> { } : progress;
        long[] needed = {0};
        String[] what = {"deploying " + artefactDir};
        // The artefact is read while master.yaml is read and the lock taken: the manifest parsed on one thread, the
        // files with fixed names hashed on another. Both only read the artefact, and what they find is acted on only
        // under the lock (their errors too, so a master problem is still reported first).
        CompletableFuture<ArtefactDirectory> opening = CompletableFuture.supplyAsync(() -> ArtefactDirectory.open(artefactDir));
        CompletableFuture<Map<String, String>> hashing = CompletableFuture.supplyAsync(() -> {
            try {
                return ArtefactDirectory.hashFixedFiles(artefactDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        CompletableFuture.runAsync(Extractor::warmUp);
        try (MasterSession s = MasterSession.open(layout, notices)) {
            p.update("checking", 0, 0);
            List<MinisignPublicKey> trusted = TrustService.trusted(layout);
            // The newest version's manifest (the index dedup links from) is read while this artefact's is: two
            // parses of ~5 MB of JSON on two threads instead of one after the other on the thread that unpacks.
            DeployRecord newest = s.versions().byDeployTime().stream().findFirst().orElse(null);
            CompletableFuture<Manifest> newestManifest = newest == null
                    ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.supplyAsync(() -> readManifest(newest.version()));
            ArtefactDirectory artefact = join(opening);
            Manifest manifest = artefact.manifest();
            String version = ImageVersion.check(manifest.version());
            what[0] = "deploying " + version;
            // Everything is checked before the master is touched: a refused artefact changes nothing at all.
            // The signature and the digests are checked while the newest version's index for dedup is read.
            Map<String, String> hashed = join(hashing);
            CompletableFuture<ArtefactVerifier.Verified> intact = CompletableFuture.supplyAsync(() -> {
                try {
                    return ArtefactVerifier.verify(artefact, trusted, allowUnsigned, true, hashed);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            DeployRecord base = s.versions().isDeployed(version) ? null : newest;
            Dedup dedup = new Dedup(manifest, base == null ? null : baseManifest(base.version(), newestManifest),
                    base == null ? null : layout.imageRoot(base.version()));
            ArtefactVerifier.Verified verified = join(intact);
            // SHA256SUMS has just been checked against every file: its digest of the manifest is the manifest's.
            String manifestSha = verified.digests().get(ArtefactDirectory.MANIFEST);
            if (s.versions().isDeployed(version)) {
                DeployRecord existing = DeployRecord.read(layout, version);
                if (existing.manifestSha256().equals(manifestSha)) {
                    return new Result(version, false, existing);
                }
                throw new RoclusterException("version " + version + " is already deployed from another artefact (rootfs "
                        + shortDigest(existing.rootfsDigest()) + ", this one " + shortDigest(manifest.rootfs().tarSha256())
                        + "): versions are immutable; build this one under a new version");
            }
            requireSameNfs(manifest, s.config());
            ArtefactVerifier.Signer signer = verified.signer();
            if (trusted.isEmpty() && notices != null) {
                notices.println("rocluster: warning: this master trusts no signing key, so nothing verified who built "
                        + version + " (rocluster master trust add KEY.pub)");
            } else if (signer == null && notices != null) {
                notices.println("rocluster: warning: deploying " + version + " without a trusted signature (--allow-unsigned);"
                        + " deploy.json records it as unsigned");
            }
            // The manifest says what the files take (dedup only lowers it): a disk too small is refused up front.
            long extra = 0;
            for (String f : List.of(ArtefactDirectory.VMLINUZ, ArtefactDirectory.INITRAMFS, ArtefactDirectory.MANIFEST,
                    Sha256Sums.FILE_NAME)) {
                extra += Files.size(artefact.dir().resolve(f));
            }
            needed[0] = DiskSpace.needed(manifest, dedup.sharableBytes(), extra, DiskSpace.blockSize(layout.images()));
            DiskSpace.require(layout.images(), needed[0], "version " + version);
            CrashPoints.reach("checked");
            return install(s, verified, manifestSha, base, dedup, p, origin);
        } catch (IOException | UncheckedIOException e) {
            // The incoming directories are gone by now: a full or read-only disk is one line, nothing left behind.
            RoclusterException disk = DiskSpace.translate(e, layout.root(), needed[0], what[0]);
            if (disk != null) {
                throw disk;
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (UncheckedIOException) e;
        }
    }

    /** A deployed version's manifest, held to the rules of an incoming one: it steers which files get linked. */
    private Manifest readManifest(String version) {
        Manifest m = ManifestJson.read(layout.manifest(version));
        ManifestRules.check(m, layout.manifest(version));
        return m;
    }

    /** The base version's manifest, read by {@code reading}; unreadable means no dedup (slower, never wrong). */
    private Manifest baseManifest(String version, CompletableFuture<Manifest> reading) {
        try {
            return reading.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RoclusterException r) {
                if (notices != null) {
                    notices.println("rocluster: note: deploying without sharing files with " + version + ": "
                            + r.getMessage());
                }
                return null;
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static String shortDigest(String d) {
        return d == null ? "?" : d.substring(0, Math.min(12, d.length()));
    }

    private void requireSameNfs(Manifest manifest, MasterConfig config) {
        ImageSpec spec = manifest.spec();
        ImageSpec.Nfs nfs = spec == null ? null : spec.nfs();
        boolean diskless = spec != null && spec.readonly() != null && spec.readonly().mode() == ImageSpec.Mode.DISKLESS;
        if (nfs == null) {
            return;
        }
        String root = trimSlash(nfs.masterRoot());
        // Only a diskless image bakes the master in (CLIENTSTATE); a diskful one keeps its state on its own disk and
        // gets its root from the boot menu this master renders, so it boots from any master.
        if (diskless && (!config.server().equals(nfs.server()) || !config.clientRootPath().equals(root))) {
            throw new RoclusterException("image " + manifest.version() + " mounts its state from " + nfs.server() + ":"
                    + root + "/state but this master is " + config.server() + ":" + config.clientRootPath()
                    + " (master.yaml): rebuild with nfs.server " + config.server() + " and nfs.masterRoot "
                    + config.clientRootPath() + ", or deploy to the master it was built for");
        }
        if (nfs.version() != null && nfs.version() != config.nfsVersion() && notices != null) {
            notices.println("rocluster: note: image " + manifest.version() + " was built for NFSv" + nfs.version()
                    + "; this master boots clients with NFSv" + config.nfsVersion() + " (master.yaml nfsVersion)");
        }
    }

    private static String trimSlash(String s) {
        return s != null && s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private Result install(MasterSession s, ArtefactVerifier.Verified verified, String manifestSha,
            DeployRecord base, Dedup dedup, Progress p, String origin) throws IOException {
        ArtefactDirectory artefact = verified.artefact();
        Manifest manifest = artefact.manifest();
        ArtefactVerifier.Signer signer = verified.signer();
        String version = manifest.version();
        Path incoming = Durable.asideName(layout.image(version), ".incoming-");
        Path tftpIncoming = Durable.asideName(layout.tftpImage(version), ".incoming-");
        boolean committed = false;
        // A refused deploy leaves the master as it found it, down to the mtimes of the directories it worked in.
        java.nio.file.attribute.FileTime imagesTime = Files.getLastModifiedTime(layout.images());
        java.nio.file.attribute.FileTime tftpTime = Files.getLastModifiedTime(layout.tftpImages());
        CompletableFuture<Void> bootFiles = null;
        try {
            Files.createDirectory(incoming);
            long total = Files.size(artefact.rootfs());
            Path boot = Files.createDirectory(incoming.resolve("boot"));
            Path baseBoot = base == null ? null : layout.image(base.version()).resolve("boot");
            // Kernel, initramfs and manifest are installed while the root unpacks: the disk has the time. What is
            // installed is what was verified: manifest, SHA256SUMS and signature from the bytes read and checked, the
            // other files hashed again as they are copied (a file changed in the artefact meanwhile is refused).
            bootFiles = CompletableFuture.runAsync(() -> {
                try {
                    installBootFile(verified, ArtefactDirectory.VMLINUZ, boot.resolve("vmlinuz"), baseBoot);
                    installBootFile(verified, ArtefactDirectory.INITRAMFS, boot.resolve("initramfs.img"), baseBoot);
                    writeVerified(artefact, ArtefactDirectory.MANIFEST, artefact.manifestBytes(), incoming);
                    writeVerified(artefact, Sha256Sums.FILE_NAME, artefact.sha256SumsBytes(), incoming);
                    // Kept (a few KiB) so that the deployed version is a whole artefact again: rocluster push --master.
                    if (verified.digests().containsKey(ArtefactDirectory.BUILD_LOG)) {
                        copyVerified(verified, ArtefactDirectory.BUILD_LOG, incoming.resolve(ArtefactDirectory.BUILD_LOG));
                    }
                    if (artefact.signatureBytes() != null) {
                        writeVerified(artefact, ArtefactDirectory.SIGNATURE, artefact.signatureBytes(), incoming);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // The compressed file is hashed as it is read for unpacking: one read, and SHA256SUMS still decides.
            Sha256 stored = Sha256.create();
            RoclusterException damaged = new RoclusterException("artefact " + artefact.dir() + ": "
                    + manifest.rootfs().file() + ": checksum mismatch (damaged or modified): rebuild it or copy it again");
            Extractor.Result unpacked;
            try {
                unpacked = Extractor.extract(artefact.rootfs(), incoming.resolve("root"),
                        new Extractor.Options(dedup, done -> p.update("unpacking", done, total), false,
                                new IndexCheck(manifest.files()), false, stored));
            } catch (RoclusterException refused) {
                // Stopped half-way: if the file is not the one SHA256SUMS lists, that is the cause to name.
                throw Sha256Sums.sha256(artefact.rootfs()).equals(verified.rootfsSha256()) ? refused : damaged;
            }
            if (!stored.hex().equals(verified.rootfsSha256())) {
                throw damaged;
            }
            CrashPoints.reach("root-unpacked");
            if (notices != null) {
                for (String w : unpacked.warnings()) {
                    notices.println("rocluster: warning: " + w);
                }
            }
            p.update("installing boot files", 0, 0);
            join(bootFiles);
            long files = manifest.files().stream().filter(f -> f.type() == FileEntry.Type.FILE).count();
            long bytes = manifest.files().stream().filter(f -> f.type() == FileEntry.Type.FILE)
                    .mapToLong(FileEntry::size).sum();
            ImageSpec.Nfs nfs = manifest.spec() == null ? null : manifest.spec().nfs();
            DeployRecord record = new DeployRecord(version, manifest.name(), manifest.profile(), manifest.kernelVersion(),
                    manifest.kernelCmdline() == null ? "" : manifest.kernelCmdline(),
                    nfs == null || nfs.options() == null ? "" : nfs.options(), manifest.rootfs().tarSha256(), manifestSha,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), HistoryEntry.currentUser(),
                    origin != null ? origin : artefact.dir().toAbsolutePath().toString(),
                    base == null || dedup.filesLinked() == 0 ? null : base.version(), dedup.filesLinked(),
                    dedup.bytesLinked(), files - dedup.filesLinked(), bytes - dedup.bytesLinked(),
                    signer == null ? DeployRecord.UNSIGNED : signer.keyId(), signer == null ? null : signer.trustedComment());
            Files.write(incoming.resolve("deploy.json"), record.toJson());

            // Kernels where TFTP clients fetch them: linked, not copied (same inodes as boot/).
            Files.createDirectory(tftpIncoming);
            Files.createLink(tftpIncoming.resolve("vmlinuz"), boot.resolve("vmlinuz"));
            Files.createLink(tftpIncoming.resolve("initramfs.img"), boot.resolve("initramfs.img"));
            // One durability barrier for everything written above: the root, boot files, manifest, deploy.json, the
            // TFTP links and every directory entry (was: ten syncfs while unpacking and eleven fsyncs). Nothing is
            // visible yet; the renames below, each synced with its directory, make it so.
            Durable.syncFileSystem(incoming);
            FileTrees.delete(layout.tftpImage(version));
            Durable.rename(tftpIncoming, layout.tftpImage(version));
            CrashPoints.reach("tftp-linked");
            Durable.rename(incoming, layout.image(version));
            committed = true;
            p.update("done", total, total);
            return new Result(version, true, record);
        } finally {
            if (!committed) {
                if (bootFiles != null) {
                    bootFiles.handle((ok, failed) -> null).join(); // nothing may still write into incoming
                }
                FileTrees.deleteQuietly(incoming);
                FileTrees.deleteQuietly(tftpIncoming);
                if (!s.versions().isDeployed(version)) {
                    FileTrees.deleteQuietly(layout.tftpImage(version));
                }
                try {
                    Files.setLastModifiedTime(layout.images(), imagesTime);
                    Files.setLastModifiedTime(layout.tftpImages(), tftpTime);
                } catch (IOException ignored) {
                    // the error being reported matters more (a read-only master cannot be touched anyway)
                }
            }
        }
    }

    /** The result of work done on another thread, with its failure as if it had been done on this one. */
    private static <T> T join(CompletableFuture<T> f) throws IOException {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * Copies a boot file, or hardlinks the base version's copy when both artefacts' SHA256SUMS list the same
     * digest and the sizes agree: kernel and initramfs rarely change between versions, and sharing them
     * saves writing and fsyncing ~60 MB per deploy (versions are immutable, so sharing an inode is safe).
     */
    private void installBootFile(ArtefactVerifier.Verified verified, String name, Path to, Path baseBoot)
            throws IOException {
        Path from = verified.artefact().dir().resolve(name);
        Path shared = baseBoot == null ? null : baseBoot.resolve(to.getFileName());
        String digest = verified.digests().get(name);
        if (shared != null && digest != null && Files.isRegularFile(shared, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && Files.size(shared) == Files.size(from)) {
            try {
                String baseDigest = Sha256Sums.read(baseBoot.resolveSibling(Sha256Sums.FILE_NAME)).digests().get(name);
                if (digest.equals(baseDigest)) {
                    Files.createLink(to, shared);
                    return;
                }
            } catch (RoclusterException | IOException unreadable) {
                // the base's listing is damaged or gone: copy, as for a changed file
            }
        }
        copyVerified(verified, name, to);
    }

    /**
     * Copies a file of a verified artefact into the incoming directory (made durable by the deploy's one barrier
     * before the commit), hashing the bytes it copies: if they are no longer the ones SHA256SUMS lists (the file
     * was replaced after it was checked), the deploy is refused.
     */
    private static void copyVerified(ArtefactVerifier.Verified verified, String name, Path to) throws IOException {
        Path from = verified.artefact().dir().resolve(name);
        Sha256 d = Sha256.create();
        try (java.io.InputStream in = new HashingInputStream(
                        Files.newInputStream(from, java.nio.file.LinkOption.NOFOLLOW_LINKS), d);
                java.io.OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW)) {
            in.transferTo(out);
        }
        if (!d.hex().equals(verified.digests().get(name))) {
            throw new RoclusterException("artefact " + verified.artefact().dir() + ": " + name + " changed while it was"
                    + " being deployed (it no longer matches SHA256SUMS): nothing was deployed; deploy it again once"
                    + " nothing writes to the artefact directory");
        }
        keepModeAndTime(from, to);
    }

    /** Writes the bytes of an artefact file that were read and verified into the version directory {@code into}. */
    private static void writeVerified(ArtefactDirectory artefact, String name, byte[] bytes, Path into) throws IOException {
        Path to = into.resolve(name);
        Files.write(to, bytes, StandardOpenOption.CREATE_NEW);
        keepModeAndTime(artefact.dir().resolve(name), to);
    }

    /**
     * The artefact file's mode and mtime on its installed copy, as a copy with its attributes keeps them: a version
     * is the same, times included, on every master it is deployed to.
     */
    private static void keepModeAndTime(Path from, Path to) throws IOException {
        java.nio.file.attribute.PosixFileAttributes a = Files.readAttributes(from,
                java.nio.file.attribute.PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        Files.setPosixFilePermissions(to, a.permissions());
        Files.setLastModifiedTime(to, a.lastModifiedTime());
    }
}

package io.rocluster.registry;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.rocluster.RoclusterException;
import io.rocluster.archive.HashingInputStream;
import io.rocluster.archive.Sha256;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactStore;
import io.rocluster.artefact.ArtefactWriter;
import io.rocluster.artefact.Sha256Sums;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code rocluster pull REF}: recreates the pushed artefact directory, byte for byte, in an artefact store.
 * Every blob is checked against its digest and size while it streams in; rootfs frames that a version on
 * this machine already has (other versions of the same image in the store, or tarballs the caller names)
 * are copied from there instead of fetched. The directory is written aside and renamed into place only once
 * its files match the config and its own SHA256SUMS: a failure (a tampered blob, a registry gone mid-way)
 * leaves nothing behind.
 */
public final class PullService {

    /**
     * What a pull did.
     *
     * @param artefact      the artefact directory
     * @param version       its version
     * @param name          its image name
     * @param changed       false when the store already held this very artefact (nothing was fetched)
     * @param blobs         layers of the version, config included
     * @param fetched       blobs fetched (a frame that occurs twice is fetched at most once per window)
     * @param fetchedBytes  bytes fetched from the registry (manifest and config included)
     * @param reusedBytes   bytes copied from versions on this machine instead (rootfs frames, identical files)
     * @param totalBytes    bytes of all files of the artefact
     */
    public record Result(Path artefact, String name, String version, boolean changed, int blobs, int fetched,
            long fetchedBytes, long reusedBytes, long totalBytes) {}

    /** Versions of the same image in the store whose frames a pull looks for, newest first. */
    static final int LOCAL_SOURCES = 3;
    /** Frames fetched ahead of the one being written (bounded: each waits in a scratch file). */
    static final int WINDOW = 16;

    private final Map<String, String> env;
    private final PrintStream progress;

    public PullService(Map<String, String> env, PrintStream progress) {
        this.env = env;
        this.progress = progress;
    }

    /** The version a tag names, read from the registry (manifest and config, checked), without pulling it. */
    public Remote resolve(Reference ref) {
        RegistryClient client = client(ref);
        AtomicLong fetched = new AtomicLong();
        VersionManifest m = read(client, fetched);
        return new Remote(ref, m, client, fetched.get());
    }

    /** A version in a registry, as far as it was read. */
    public static final class Remote {
        private final Reference ref;
        private final VersionManifest manifest;
        private final RegistryClient client;
        private final long bytesRead;

        Remote(Reference ref, VersionManifest manifest, RegistryClient client, long bytesRead) {
            this.ref = ref;
            this.manifest = manifest;
            this.client = client;
            this.bytesRead = bytesRead;
        }

        public Reference ref() {
            return ref;
        }

        public String name() {
            return manifest.config().name();
        }

        public String version() {
            return manifest.config().version();
        }

        VersionManifest manifest() {
            return manifest;
        }

        /** The digest of the version's SHA256SUMS: equal digests, same artefact. */
        public String sumsSha256() {
            return manifest.config().file(Sha256Sums.FILE_NAME).sha256();
        }

        /** Whether the version carries a signature of its SHA256SUMS (checked by deploy, against the master's keys). */
        public boolean signed() {
            return manifest.config().file(ArtefactDirectory.SIGNATURE) != null;
        }

        /** The digest of the version's manifest.json. */
        public String manifestSha256() {
            return manifest.config().file(ArtefactDirectory.MANIFEST).sha256();
        }
    }

    /** Pulls {@code ref} into the store at {@code storeRoot} ({@code <root>/<name>/<version>/}). */
    public Result pull(Reference ref, Path storeRoot, List<Path> extraSources) {
        return pull(resolve(ref), storeRoot, extraSources);
    }

    /** Pulls a resolved version into the store at {@code storeRoot}. */
    public Result pull(Remote remote, Path storeRoot, List<Path> extraSources) {
        VersionManifest m = remote.manifest;
        VersionManifest.Config c = m.config();
        ArtefactStore store = new ArtefactStore(storeRoot);
        Path target = store.dir(c.name(), c.version());
        int blobs = m.layers().size() + 1;
        long total = c.files().stream().mapToLong(VersionManifest.FileInfo::size).sum();
        try {
            if (Files.exists(target)) {
                Path sums = target.resolve(Sha256Sums.FILE_NAME);
                if (Files.isRegularFile(sums) && Sha256Sums.sha256(sums).equals(remote.sumsSha256())) {
                    return new Result(target, c.name(), c.version(), false, blobs, 0, remote.bytesRead, 0, total);
                }
                throw new RoclusterException(target + " already holds another artefact of version " + c.version()
                        + " than " + remote.ref + ": artefacts are never overwritten; pull into another --output");
            }
            Frames local = new Frames();
            for (Path p : extraSources) {
                local.addQuietly(p);
            }
            List<String> versions = new ArrayList<>(store.versions(c.name()));
            java.util.Collections.reverse(versions);
            Map<String, Path> localFiles = new java.util.HashMap<>();
            for (String v : versions.subList(0, Math.min(LOCAL_SOURCES, versions.size()))) {
                Path dir = store.dir(c.name(), v);
                local.addQuietly(dir.resolve(ArtefactDirectory.rootfsFileName(c.name(), v)));
                try {
                    Sha256Sums.read(dir.resolve(Sha256Sums.FILE_NAME)).digests()
                            .forEach((file, sha) -> localFiles.putIfAbsent(sha, dir.resolve(file)));
                } catch (IOException | RuntimeException unreadable) {
                    // that version's files are fetched instead
                }
            }
            Path imageDir = target.getParent();
            boolean hadImageDir = Files.isDirectory(imageDir);
            boolean hadStore = Files.isDirectory(storeRoot);
            try {
                return write(remote, store, local, localFiles, blobs, total);
            } catch (RuntimeException | IOException e) {
                // Nothing left behind: not even the directories this pull created.
                if (!hadImageDir) {
                    deleteIfEmpty(imageDir);
                }
                if (!hadStore) {
                    deleteIfEmpty(storeRoot);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException notEmpty) {
            // something else is there: keep it
        }
    }

    private Result write(Remote remote, ArtefactStore store, Frames local, Map<String, Path> localFiles, int blobs,
            long total) throws IOException {
        VersionManifest m = remote.manifest;
        VersionManifest.Config c = m.config();
        Path target = store.dir(c.name(), c.version());
        {
            AtomicLong fetchedBytes = new AtomicLong(remote.bytesRead);
            int[] fetched = {1};
            long[] reusedFiles = {0};
            long reused;
            try (ArtefactWriter w = ArtefactWriter.create(store, c.name(), c.version())) {
                for (VersionManifest.Layer l : m.layers()) {
                    if (l.title() != null) {
                        VersionManifest.FileInfo f = c.file(l.title());
                        if (copyLocal(localFiles.get(f.sha256()), f, w.file(l.title()))) {
                            reusedFiles[0] += f.size();
                            continue;
                        }
                        try (InputStream in = remote.client.openBlob(l.digest());
                                OutputStream out = Files.newOutputStream(w.file(l.title()), StandardOpenOption.CREATE_NEW)) {
                            fetchFile(remote.ref, in, l, f, out, fetchedBytes);
                        } catch (IOException e) {
                            throw remote.client.translate(new UncheckedIOException(e), "fetching " + l.title());
                        }
                        fetched[0]++;
                    }
                }
                reused = writeRootfs(remote, w, local, fetchedBytes, fetched);
                for (VersionManifest.FileInfo f : c.files()) {
                    Files.setLastModifiedTime(w.file(f.name()), java.nio.file.attribute.FileTime.from(f.mtime()));
                }
                w.commitAsIs();
            }
            return new Result(target, c.name(), c.version(), true, blobs, fetched[0], fetchedBytes.get(),
                    reused + reusedFiles[0], total);
        }
    }

    /** Copies a file a local version has with the same digest (checked while copying); false if there is none. */
    private static boolean copyLocal(Path from, VersionManifest.FileInfo f, Path to) throws IOException {
        if (from == null || !Files.isRegularFile(from) || Files.size(from) != f.size()) {
            return false;
        }
        Sha256 md = Sha256.create();
        try (InputStream in = Files.newInputStream(from);
                OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        }
        if (!md.hex().equals(f.sha256())) {
            Files.delete(to); // changed since its SHA256SUMS was written: fetch it instead
            return false;
        }
        return true;
    }

    private RegistryClient client(Reference ref) {
        return new RegistryClient(ref, DockerCredentials.fromEnvironment(env).lookup(ref.registry()));
    }

    private static VersionManifest read(RegistryClient client, AtomicLong fetched) {
        Reference ref = client.reference();
        RegistryClient.Fetched f = client.manifest(ref.tag());
        fetched.addAndGet(f.json() == null ? 0 : f.json().length());
        VersionManifest m = VersionManifest.parse(f.json(), ref);
        byte[] config;
        try (InputStream in = client.openBlob(m.configDigest())) {
            config = readVerified(ref, in, m.configDigest(), m.configSize(), "config");
        } catch (IOException e) {
            throw client.translate(new UncheckedIOException(e), "fetching the config");
        }
        fetched.addAndGet(config.length);
        return m.withConfig(config, ref);
    }

    /** A whole small blob, checked. */
    private static byte[] readVerified(Reference ref, InputStream in, String digest, long size, String what) throws IOException {
        byte[] b = in.readNBytes((int) Math.min(size + 1, VersionManifest.MAX_CONFIG + 1));
        if (b.length != size || !PushService.digest(b).equals(digest)) {
            throw tampered(ref, digest, what);
        }
        return b;
    }

    /** Streams a file's blob into {@code out}: blob digest and size, then (after decompressing) the file's own. */
    private static void fetchFile(Reference ref, InputStream in, VersionManifest.Layer l, VersionManifest.FileInfo f,
            OutputStream out, AtomicLong fetchedBytes) throws IOException {
        Sha256 blobDigest = Sha256.create();
        InputStream counted = new CheckingInputStream(in, l.size(), blobDigest, fetchedBytes);
        Sha256 fileDigest = Sha256.create();
        long written = 0;
        try (InputStream src = VersionManifest.compressed(l.mediaType()) ? new ZstdInputStreamNoFinalizer(counted) : counted) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = src.read(buf)) > 0; ) {
                written += n;
                if (written > f.size()) {
                    throw tampered(ref, l.digest(), f.name());
                }
                fileDigest.update(buf, 0, n);
                out.write(buf, 0, n);
            }
            counted.transferTo(OutputStream.nullOutputStream()); // the rest of the blob counts for its digest
        } catch (BlobTooLong | com.github.luben.zstd.ZstdIOException e) {
            throw tampered(ref, l.digest(), f.name());
        } catch (BlobTruncated e) {
            throw brokeOff(ref, l.digest(), e);
        }
        if (!("sha256:" + blobDigest.hex()).equals(l.digest())) {
            throw tampered(ref, l.digest(), f.name());
        }
        if (written != f.size() || !fileDigest.hex().equals(f.sha256())) {
            throw tampered(ref, l.digest(), f.name());
        }
    }

    /**
     * Writes the rootfs tarball frame by frame: local frames copied, the others fetched a few ahead into
     * scratch files (checked there), then appended in order. The whole file's digest must equal the config's.
     *
     * @return rootfs bytes copied from local frames
     */
    private long writeRootfs(Remote remote, ArtefactWriter w, Frames local, AtomicLong fetchedBytes, int[] fetched)
            throws IOException {
        VersionManifest.Config c = remote.manifest.config();
        VersionManifest.FileInfo info = c.file(c.rootfs());
        List<VersionManifest.Layer> frames = remote.manifest.frames();
        Path scratch = w.scratch();
        ExecutorService pool = Executors.newFixedThreadPool(PushService.PARALLEL, r -> {
            Thread t = new Thread(r, "rocluster-pull");
            t.setDaemon(true);
            return t;
        });
        long reused = 0;
        Sha256 whole = Sha256.create();
        try (FileChannel out = FileChannel.open(w.file(c.rootfs()), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ArrayDeque<Future<Path>> ahead = new ArrayDeque<>();
            int next = 0;
            long offset = 0;
            for (int i = 0; i < frames.size(); i++) {
                while (next < frames.size() && ahead.size() < WINDOW) {
                    VersionManifest.Layer l = frames.get(next);
                    int index = next++;
                    Frames.Frame have = local.find(l.digest(), l.size());
                    ahead.add(have != null ? java.util.concurrent.CompletableFuture.completedFuture(null)
                            : pool.submit(() -> fetchFrame(remote, l, scratch.resolve("frame-" + index), fetchedBytes)));
                }
                VersionManifest.Layer l = frames.get(i);
                Path fetchedFile = Transfers.join(ahead.poll());
                InputStream src;
                if (fetchedFile == null) {
                    src = local.find(l.digest(), l.size()).content().get();
                    reused += l.size();
                } else {
                    src = Files.newInputStream(fetchedFile);
                    fetched[0]++;
                }
                Sha256 frameDigest = Sha256.create();
                try (InputStream in = src) {
                    byte[] buf = new byte[1 << 20];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        frameDigest.update(buf, 0, n);
                        whole.update(buf, 0, n);
                        out.write(java.nio.ByteBuffer.wrap(buf, 0, n));
                    }
                }
                if (!("sha256:" + frameDigest.hex()).equals(l.digest())) {
                    // A local frame changed under us; a fetched one was checked already.
                    throw new RoclusterException("a rootfs frame read from this machine changed while being copied ("
                            + RegistryClient.short12(l.digest()) + "): nothing was kept; pull again");
                }
                if (fetchedFile != null) {
                    Files.delete(fetchedFile);
                }
                // A frame that occurs again (runs of zeros, duplicated files) is copied from what was just written.
                local.add(new Frames.Frame(w.file(c.rootfs()), offset, l.size(), l.digest()));
                offset += l.size();
            }
        } finally {
            pool.shutdownNow();
        }
        if (!whole.hex().equals(info.sha256())) {
            throw new RoclusterException(remote.ref + ": the rootfs frames do not add up to the " + c.rootfs()
                    + " the config describes: the version in the registry is inconsistent; push it again");
        }
        return reused;
    }

    private static Path fetchFrame(Remote remote, VersionManifest.Layer l, Path to, AtomicLong fetchedBytes) throws IOException {
        Sha256 md = Sha256.create();
        try (InputStream in = new CheckingInputStream(remote.client.openBlob(l.digest()), l.size(), md, fetchedBytes);
                OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW)) {
            in.transferTo(out);
        } catch (BlobTooLong e) {
            throw tampered(remote.ref, l.digest(), "a rootfs frame");
        } catch (BlobTruncated e) {
            throw brokeOff(remote.ref, l.digest(), e);
        } catch (IOException e) {
            throw remote.client.translate(new UncheckedIOException(e), "fetching blob " + RegistryClient.short12(l.digest()));
        }
        if (!("sha256:" + md.hex()).equals(l.digest())) {
            throw tampered(remote.ref, l.digest(), "a rootfs frame");
        }
        return to;
    }

    static RoclusterException tampered(Reference ref, String digest, String what) {
        return new RoclusterException(ref.registry() + "/" + ref.repository() + ": blob " + RegistryClient.short12(digest)
                + " (" + what + ") does not match its digest: the registry's storage is damaged or tampered with; nothing"
                + " was kept; push the version again from an intact artefact");
    }

    static RoclusterException brokeOff(Reference ref, String digest, BlobTruncated e) {
        return new RoclusterException(ref.registry() + " stopped sending blob " + RegistryClient.short12(digest) + " ("
                + e.getMessage() + "): nothing was kept; run the command again once the registry answers");
    }

    /** More bytes than the descriptor's size: not the blob it claims to be. */
    static final class BlobTooLong extends IOException {
        BlobTooLong() {
            super("blob longer than its descriptor says");
        }
    }

    /** The stream ended early: the transfer broke off. */
    static final class BlobTruncated extends IOException {
        BlobTruncated(long seen, long size) {
            super(seen + " of " + size + " bytes");
        }
    }

    /** Counts and hashes what passes, and refuses more bytes than the descriptor's size, or fewer. */
    static final class CheckingInputStream extends HashingInputStream {
        private final long size;
        private final AtomicLong counter;

        CheckingInputStream(InputStream in, long size, Sha256 md, AtomicLong counter) {
            super(in, md);
            this.size = size;
            this.counter = counter;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counter.addAndGet(n);
                if (count() > size) {
                    throw new BlobTooLong();
                }
            } else if (n < 0 && count() != size) {
                throw new BlobTruncated(count(), size);
            }
            return n;
        }
    }
}

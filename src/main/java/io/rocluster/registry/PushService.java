package io.rocluster.registry;

import com.github.luben.zstd.Zstd;
import io.rocluster.RoclusterException;
import io.rocluster.archive.Sha256;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.Sha256Sums;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@code rocluster push SOURCE REF}: stores an artefact directory in a registry as a {@link VersionManifest}.
 * Only blobs the repository lacks are uploaded (a HEAD for each first), so a version that shares most rootfs
 * frames with one already there costs only its new frames, and pushing a version again under another tag
 * uploads nothing at all: the manifest is the same bytes, and only the tag is added.
 *
 * <p>The artefact is checked against its SHA256SUMS first: a damaged artefact never reaches a registry.
 */
public final class PushService {

    /**
     * What a push did.
     *
     * @param ref            where
     * @param version        the version
     * @param manifestDigest the OCI manifest's digest (the same for every tag of the same artefact)
     * @param blobs          distinct blobs the version consists of (config included)
     * @param uploaded       blobs uploaded now
     * @param bytes          bytes of all those blobs
     * @param uploadedBytes  bytes uploaded now
     */
    public record Result(Reference ref, String version, String manifestDigest, int blobs, int uploaded, long bytes,
            long uploadedBytes) {}

    /** Concurrent blob requests: enough to hide a remote registry's latency, few enough for a small machine. */
    static final int PARALLEL = 4;
    /** zstd level for manifest.json and build.log (text; a few MiB). */
    static final int TEXT_LEVEL = 9;

    private final Map<String, String> env;
    private final PrintStream progress;

    public PushService(Map<String, String> env, PrintStream progress) {
        this.env = env;
        this.progress = progress;
    }

    /** A blob to store: its descriptor and where its bytes come from. */
    private record Blob(VersionManifest.Layer layer, Supplier<java.io.InputStream> content) {}

    public Result push(Path artefactDir, Reference ref) {
        try {
            ArtefactDirectory artefact = ArtefactDirectory.open(artefactDir);
            artefact.requireIntact(false);
            return push(artefact, ref);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Pushes a version deployed on a master: its artefact directory is recreated under {@code <master>/.pulls/}
     * ({@link DeployedArtefacts}, checked against its SHA256SUMS), pushed, and removed.
     */
    public Result pushDeployed(io.rocluster.master.MasterLayout layout, String version, Reference ref) {
        try {
            Path pulls = Files.createDirectories(layout.root().resolve(RegistryDeployService.PULLS));
            Path store = Files.createTempDirectory(pulls, ".push-");
            try {
                return push(DeployedArtefacts.export(layout, version, store), ref);
            } finally {
                io.rocluster.archive.FileTrees.deleteQuietly(store);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Result push(ArtefactDirectory artefact, Reference ref) throws IOException {
        String name = artefact.manifest().name();
        String version = artefact.manifest().version();
        String rootfs = ArtefactDirectory.rootfsFileName(name, version);
        if (!rootfs.equals(artefact.manifest().rootfs().file())) {
            throw new RoclusterException(artefact.dir() + ": the rootfs is named " + artefact.manifest().rootfs().file()
                    + ", not " + rootfs + " as a build names it: rebuild it");
        }
        Map<String, String> sums = Sha256Sums.read(artefact.dir().resolve(Sha256Sums.FILE_NAME)).digests();
        List<VersionManifest.FileInfo> files = new ArrayList<>();
        List<Blob> blobs = new ArrayList<>();
        for (Path p : filesOf(artefact.dir())) {
            String n = p.getFileName().toString();
            String sha = sums.containsKey(n) ? sums.get(n) : Sha256Sums.sha256(p);
            files.add(new VersionManifest.FileInfo(n, Files.size(p), sha, Files.getLastModifiedTime(p).toInstant()));
            String mt = VersionManifest.mediaTypeOf(n, rootfs);
            if (mt.equals(VersionManifest.FRAME)) {
                continue;
            }
            byte[] data = VersionManifest.compressed(mt) ? compress(Files.readAllBytes(p)) : null;
            if (data != null) {
                blobs.add(new Blob(new VersionManifest.Layer(mt, digest(data), data.length, n),
                        () -> new ByteArrayInputStream(data)));
            } else {
                blobs.add(new Blob(new VersionManifest.Layer(mt, "sha256:" + sha, Files.size(p), n),
                        new Frames.Frame(p, 0, Files.size(p), "sha256:" + sha).content()));
            }
        }
        blobs.sort(Comparator.comparingInt(b -> order(b.layer().mediaType())));
        List<Frames.Frame> frames = Frames.of(artefact.rootfs());
        if (frames.size() == 1 && progress != null) {
            progress.println("rocluster: note: " + rootfs + " is a single zstd frame (built before rocluster framed"
                    + " tarballs): it is stored whole and shares nothing with other versions; rebuild to share");
        }
        for (Frames.Frame f : frames) {
            blobs.add(new Blob(new VersionManifest.Layer(VersionManifest.FRAME, f.digest(), f.length(), null), f.content()));
        }
        files.sort(Comparator.comparing(VersionManifest.FileInfo::name));
        VersionManifest.Config config = new VersionManifest.Config(name, version, List.copyOf(files));
        byte[] configBytes = VersionManifest.renderConfig(config);
        VersionManifest manifest = new VersionManifest(config, digest(configBytes), configBytes.length,
                blobs.stream().map(Blob::layer).toList(), artefact.manifest().createdAt());
        byte[] manifestBytes = manifest.render();
        String manifestDigest = digest(manifestBytes);

        RegistryClient client = new RegistryClient(ref, DockerCredentials.fromEnvironment(env).lookup(ref.registry()));
        Map<String, Blob> distinct = new LinkedHashMap<>();
        distinct.put(manifest.configDigest(), new Blob(new VersionManifest.Layer(VersionManifest.CONFIG,
                manifest.configDigest(), configBytes.length, null), () -> new ByteArrayInputStream(configBytes)));
        for (Blob b : blobs) {
            distinct.putIfAbsent(b.layer().digest(), b);
        }
        long bytes = distinct.values().stream().mapToLong(b -> b.layer().size()).sum();
        if (client.hasManifest(manifestDigest)) {
            // The very same version is already in this repository: a new tag is all it takes.
            client.putManifest(ref.tag(), manifestBytes);
            return new Result(ref, version, manifestDigest, distinct.size(), 0, bytes, 0);
        }
        AtomicInteger uploaded = new AtomicInteger();
        AtomicLong uploadedBytes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "rocluster-push");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (Blob b : distinct.values()) {
                tasks.add(pool.submit(() -> {
                    if (!client.hasBlob(b.layer().digest())) {
                        client.pushBlob(b.layer().digest(), b.layer().size(), b.content());
                        uploaded.incrementAndGet();
                        uploadedBytes.addAndGet(b.layer().size());
                    }
                    return null;
                }));
            }
            for (Future<?> f : tasks) {
                Transfers.join(f);
            }
        } finally {
            pool.shutdownNow();
        }
        client.putManifest(ref.tag(), manifestBytes);
        return new Result(ref, version, manifestDigest, distinct.size(), uploaded.get(), bytes, uploadedBytes.get());
    }

    /** Every regular file of the artefact directory, by name. */
    private static List<Path> filesOf(Path dir) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(p.getFileName().toString(), p);
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** Layers in a fixed order (small descriptive files first, so a puller sees them early). */
    private static int order(String mediaType) {
        return List.of(VersionManifest.MANIFEST, VersionManifest.SUMS, VersionManifest.SIGNATURE, VersionManifest.KERNEL,
                VersionManifest.INITRAMFS, VersionManifest.BUILD_LOG, VersionManifest.FILE).indexOf(mediaType);
    }

    static byte[] compress(byte[] data) {
        byte[] out = Zstd.compress(data, TEXT_LEVEL);
        return out;
    }

    static String digest(byte[] data) {
        Sha256 md = Sha256.create();
        md.update(data, 0, data.length);
        return "sha256:" + md.hex();
    }
}

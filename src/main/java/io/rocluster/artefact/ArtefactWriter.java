package io.rocluster.artefact;

import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import io.rocluster.archive.FileTrees;
import io.rocluster.archive.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one artefact directory so that it appears complete or not at all: files go into a hidden
 * staging directory {@code <store>/<name>/.incoming-<version>-<pid>} beside the target; {@link #commit}
 * adds the manifest and SHA256SUMS, fsyncs everything and renames the directory into place. Closing an
 * uncommitted writer (a failed build, Ctrl-C through a shutdown hook) deletes the staging directory;
 * one left by a killed process is removed by the next writer of the same image. A version is claimed by its
 * staging directory, made under a lock together with the choice of the version: a second writer of the same
 * version, in this process or another, is refused at once, and two nightly builds started together get two
 * versions.
 */
public final class ArtefactWriter implements AutoCloseable {

    private static final String STAGING_PREFIX = ".incoming-";
    private static final String SCRATCH = ".scratch";

    private final Path target;
    private final Path staging;
    private final String version;
    private boolean committed;

    private ArtefactWriter(Path target, Path staging, String version) {
        this.target = target;
        this.staging = staging;
        this.version = version;
    }

    /**
     * Starts an artefact of {@code name} at {@code version}.
     *
     * @throws RoclusterException when that version already exists (artefacts are never overwritten) or another
     *                            writer (a build or pull in this or another process) is writing it now
     */
    public static ArtefactWriter create(ArtefactStore store, String name, String version) throws IOException {
        return start(store, name, () -> version);
    }

    /**
     * Starts an artefact of {@code name} at the next nightly version of {@code day} ({@link ArtefactStore#nextNightly}):
     * chosen and claimed in one step, so that two builds started together get two versions, not one version twice.
     */
    public static ArtefactWriter createNightly(ArtefactStore store, String name, java.time.LocalDate day)
            throws IOException {
        return start(store, name, () -> store.nextNightly(name, day));
    }

    private interface VersionChoice {
        String choose() throws IOException;
    }

    /** The staging directories of this JVM's open writers. */
    private static final java.util.Set<Path> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Writers of this JVM start one at a time (a file lock is held per process, not per thread). */
    private static final java.util.concurrent.locks.ReentrantLock STARTING = new java.util.concurrent.locks.ReentrantLock();

    /**
     * Chooses the version and creates its staging directory while holding a lock on the image's directory, so that
     * choosing (which counts the staging directories of running writers) and claiming cannot interleave with another
     * writer's. The lock file lives in the temporary directory, keyed by the image directory's real path, so that
     * the store holds nothing but artefacts; the kernel drops the lock when its holder dies.
     */
    private static ArtefactWriter start(ArtefactStore store, String name, VersionChoice choice) throws IOException {
        Path parent = store.root().resolve(name);
        Files.createDirectories(parent);
        Path lock = lockFile(parent);
        STARTING.lock();
        try (java.nio.channels.FileChannel ch = openLock(lock, parent);
                java.nio.channels.FileLock held = ch.lock()) {
            java.util.Map<String, String> live = removeAbandonedStaging(parent);
            String version = choice.choose();
            Path target = store.dir(name, version);
            if (Files.exists(target)) {
                throw new RoclusterException(target + " already exists: artefacts are never overwritten; pass another"
                        + " --version or --nightly");
            }
            if (live.containsKey(version)) {
                throw new RoclusterException(target + " is being written by another rocluster (process "
                        + live.get(version) + "): wait for it to finish, or pass another --version or --nightly");
            }
            Path staging = parent.resolve(STAGING_PREFIX + version + "-" + ProcessHandle.current().pid());
            Files.createDirectory(staging);
            OPEN.add(staging);
            return new ArtefactWriter(target, staging, version);
        } finally {
            STARTING.unlock();
        }
    }

    private static java.nio.channels.FileChannel openLock(Path lock, Path imageDir) throws IOException {
        try {
            return java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new RoclusterException("cannot open " + lock + ", the lock that keeps two writers of " + imageDir
                    + " apart (" + e.getClass().getSimpleName() + "): make " + lock.getParent() + " writable, or remove"
                    + " the file if another user left it");
        }
    }

    private static Path lockFile(Path imageDir) throws IOException {
        String key = Sha256.hex(new java.io.ByteArrayInputStream(
                imageDir.toRealPath().toString().getBytes(StandardCharsets.UTF_8)));
        return Path.of(System.getProperty("java.io.tmpdir"), "rocluster-writer-" + key.substring(0, 16) + ".lock");
    }

    /** The version a staging directory name belongs to. */
    static String versionOfStaging(String stagingName) {
        String rest = stagingName.substring(STAGING_PREFIX.length());
        int dash = rest.lastIndexOf('-');
        return dash < 0 ? rest : rest.substring(0, dash);
    }

    public String version() {
        return version;
    }

    /** Where the finished artefact will be. */
    public Path target() {
        return target;
    }

    /** A file of the artefact, to be written before {@link #commit}. */
    public Path file(String fileName) {
        if (fileName.contains("/") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("artefact file names are plain: " + fileName);
        }
        return staging.resolve(fileName);
    }

    /**
     * Writes {@code manifest.json} and {@code SHA256SUMS} (covering every other file), fsyncs the files
     * and the directory, and renames the directory into place.
     *
     * @return the finished artefact
     * @throws RoclusterException when the version appeared meanwhile (a concurrent build)
     */
    public ArtefactDirectory commit(Manifest manifest) throws IOException {
        return commit(manifest, null);
    }

    /** Makes the text of {@link ArtefactDirectory#SIGNATURE} from the finished SHA256SUMS. */
    @FunctionalInterface
    public interface Signing {
        String signature(Manifest manifest, byte[] sha256sums) throws IOException;
    }

    /**
     * {@link #commit(Manifest)}, signing SHA256SUMS before the rename when {@code signing} is not null, so that
     * a signed build's artefact never appears unsigned.
     */
    public ArtefactDirectory commit(Manifest manifest, Signing signing) throws IOException {
        Files.write(file(ArtefactDirectory.MANIFEST), ManifestJson.toBytes(manifest));
        List<String> names = names();
        names.remove(Sha256Sums.FILE_NAME);
        names.remove(ArtefactDirectory.SIGNATURE);
        byte[] sums = Sha256Sums.of(staging, names).render().getBytes(StandardCharsets.UTF_8);
        Files.write(file(Sha256Sums.FILE_NAME), sums);
        if (signing != null) {
            Files.writeString(file(ArtefactDirectory.SIGNATURE), signing.signature(manifest, sums), StandardCharsets.UTF_8);
        }
        return finish();
    }

    /**
     * Commits files written as they are, manifest.json and SHA256SUMS included (an artefact copied from
     * elsewhere, e.g. pulled from a registry): they must form an intact artefact of this version, checked
     * as {@link ArtefactDirectory#requireIntact} does, before it is renamed into place.
     *
     * @throws RoclusterException when they do not, naming the first problem
     */
    public ArtefactDirectory commitAsIs() throws IOException {
        FileTrees.delete(staging.resolve(SCRATCH));
        ArtefactDirectory copy = ArtefactDirectory.open(staging);
        if (!version.equals(copy.manifest().version())) {
            throw new RoclusterException("the artefact's manifest.json is of version " + copy.manifest().version()
                    + ", not " + version + ": its source is inconsistent");
        }
        List<String> problems = copy.verify(false);
        if (!problems.isEmpty()) {
            throw new RoclusterException("the copied artefact " + version + " is not intact: " + problems.get(0)
                    + ": nothing was kept; copy it again from an intact source");
        }
        return finish();
    }

    /**
     * A scratch directory inside the staging directory for temporary files of the writer's user; it is
     * removed with the staging directory, and before {@link #commitAsIs}.
     */
    public Path scratch() throws IOException {
        return Files.createDirectories(staging.resolve(SCRATCH));
    }

    private List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(staging)) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        }
        return names;
    }

    /** fsyncs every file and the directory, then renames it into place. */
    private ArtefactDirectory finish() throws IOException {
        for (String n : names()) {
            Durable.syncFile(staging.resolve(n));
        }
        Durable.syncDirectory(staging);
        if (Files.exists(target)) {
            throw new RoclusterException(target + " appeared while building (another build of the same version?): it was left as it is");
        }
        Durable.rename(staging, target);
        committed = true;
        return ArtefactDirectory.open(target);
    }

    /** Deletes the staging directory unless the artefact was committed. */
    @Override
    public void close() throws IOException {
        try {
            if (!committed) {
                FileTrees.delete(staging);
            }
        } finally {
            OPEN.remove(staging);
        }
    }

    /**
     * Removes the staging directories of dead processes.
     *
     * @return the versions the others are writing, to the pid writing each
     */
    private static java.util.Map<String, String> removeAbandonedStaging(Path parent) throws IOException {
        java.util.Map<String, String> live = new java.util.HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, STAGING_PREFIX + "*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                String pid = n.substring(n.lastIndexOf('-') + 1);
                boolean alive;
                try {
                    alive = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
                } catch (NumberFormatException e) {
                    alive = false;
                }
                // A directory with this process's pid that no writer of this JVM has open is a dead process's.
                if (!alive || Long.toString(ProcessHandle.current().pid()).equals(pid) && !OPEN.contains(p)) {
                    FileTrees.delete(p);
                } else {
                    live.put(versionOfStaging(n), pid);
                }
            }
        }
        return live;
    }
}

package io.rocluster.build;

import io.rocluster.RoclusterException;
import io.rocluster.Version;
import io.rocluster.archive.FileEntry;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactStore;
import io.rocluster.artefact.ArtefactWriter;
import io.rocluster.artefact.Manifest;
import io.rocluster.artefact.ManifestJson;
import io.rocluster.container.BuilderContainer;
import io.rocluster.container.BuilderImages;
import io.rocluster.container.DockerEngine;
import io.rocluster.readonly.KernelCmdline;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code rocluster build}: spec in, artefact directory out. Runs the stages in a builder container, starting
 * from the deepest stage the cache holds, commits each new stage result to the cache, streams the root into
 * the rootfs tarball, and writes the artefact aside, renaming it into place only when complete.
 */
public final class ImageBuilder {

    private static final String BUILD_ROOT = "/build/root";

    private final BuildListener listener;

    public ImageBuilder(BuildListener listener) {
        this.listener = listener;
    }

    /** Runs a build. */
    public BuildResult build(BuildRequest request) throws IOException {
        ImageSpec spec = SpecLoader.load(request.spec());
        ArtefactStore store = new ArtefactStore(request.output());
        String version = version(request, store, spec.name());
        SourceTree sources = SourceTree.locate();
        BuildContext context = new BuildContext(spec, sources);
        // Inputs first: a broken source tree fails before anything is started.
        List<Stage> stages = List.of(new BootstrapStage(), new PackagesStage(), new ReadonlyStage(), new InitramfsStage());
        List<StageInput> inputs = new ArrayList<>();
        for (Stage s : stages) {
            inputs.add(s.input(context));
        }
        StageInput collect = CollectStep.input(context);
        DockerEngine engine = DockerEngine.connect();

        try (ArtefactWriter writer = ArtefactWriter.create(store, spec.name(), version);
                BuildLog log = new BuildLog(writer.file(ArtefactDirectory.BUILD_LOG));
                Interruption onCtrlC = new Interruption(() -> {
                    try {
                        writer.close();
                    } catch (IOException e) {
                        // Exiting anyway; the next build removes a dead process's staging directory.
                    }
                })) {
            try {
                return run(request, spec, version, context, inputs, collect, engine, writer, log);
            } catch (RuntimeException | IOException e) {
                log.line("build failed: " + e.getMessage());
                log.close();
                keepFailedLog(log.file(), spec.name(), version);
                throw e;
            }
        }
    }

    private BuildResult run(BuildRequest request, ImageSpec spec, String version, BuildContext context,
            List<StageInput> inputs, StageInput collect, DockerEngine engine, ArtefactWriter writer, BuildLog log)
            throws IOException {
        log.section("builder image");
        String builderId = BuilderImages.ensure(engine, BuilderRecipes.of(spec.profile(), context.sources()), l -> {
            log.line(l);
        });
        log.line("builder image " + builderId);
        Map<String, String> digests = StageDigests.chain(builderId, inputs);
        StageCache cache = new StageCache(engine);
        int cachedUpTo = -1;
        String startImage = builderId;
        if (!request.noCache()) {
            for (int i = inputs.size() - 1; i >= 0; i--) {
                Optional<String> hit = cache.lookup(digests.get(inputs.get(i).stage()));
                if (hit.isPresent()) {
                    cachedUpTo = i;
                    startImage = hit.get();
                    break;
                }
            }
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        List<String> cached = new ArrayList<>();
        BuilderContainer container = BuilderContainer.start(engine, startImage, spec.name() + ":" + version,
                request.keepContainer());
        try (Interruption onCtrlC = new Interruption(container::close)) {
            for (int i = 0; i < inputs.size(); i++) {
                StageInput in = inputs.get(i);
                String digest = digests.get(in.stage());
                if (i <= cachedUpTo) {
                    log.section(in.stage() + " (cached " + digest + ")");
                    cached.add(in.stage());
                    seconds.put(in.stage(), 0.0);
                    listener.stageFinished(in.stage(), true, Duration.ZERO);
                    continue;
                }
                Duration took = runStage(container, in, digest, log);
                cache.store(container, in.stage(), digest, spec.name());
                seconds.put(in.stage(), took.toMillis() / 1000.0);
                listener.stageFinished(in.stage(), false, took);
            }
            Instant t0 = Instant.now();
            runStage(container, collect, "", log);
            listener.stageStarted("stream");
            String rootfsName = ArtefactDirectory.rootfsFileName(spec.name(), version);
            CollectStep.Collected c = CollectStep.run(container, writer, rootfsName, listener);
            Duration took = Duration.between(t0, Instant.now());
            seconds.put(CollectStep.NAME, took.toMillis() / 1000.0);
            listener.stageFinished(CollectStep.NAME, false, took);

            List<String> withCaps = c.files().stream()
                    .filter(f -> f.xattrs() != null && f.xattrs().containsKey("security.capability"))
                    .map(FileEntry::path).toList();
            if (!withCaps.isEmpty()) {
                String warning = "warning: " + withCaps.size() + " file(s) carry file capabilities, which an NFS client"
                        + " cannot see (" + String.join(", ", withCaps.subList(0, Math.min(5, withCaps.size())))
                        + "): set fileCapabilities: setuid to replace them by setuid root";
                log.line(warning);
                listener.note(warning);
            }
            log.line("rootfs " + rootfsName + ": mtimes clamped to SOURCE_DATE_EPOCH=" + c.sourceDateEpoch());
            log.line("rootfs " + rootfsName + ": " + c.rootfs().entries() + " entries, tar sha256 "
                    + c.rootfs().tarSha256());
            log.flush();
            log.close();
            Manifest manifest = new Manifest(ManifestJson.FORMAT_VERSION, spec.name(), version, spec.profile().id(),
                    c.kernelVersion(), KernelCmdline.imageArguments(spec), c.packages(),
                    new Manifest.Rootfs(rootfsName, c.rootfs().tarSha256(), c.rootfs().tarSize(),
                            c.rootfs().compressedSha256(), c.rootfs().compressedSize()),
                    c.files(), digests, builderId, spec, c.capabilityChanges(), Version.get(),
                    Instant.now().toString());
            ArtefactDirectory done = writer.commit(manifest);
            int pruned = cache.prune(StageCache.keep());
            if (pruned > 0) {
                listener.note("stage cache: removed " + pruned + " old entries (keeping " + StageCache.keep() + ")");
            }
            return new BuildResult(done.dir(), spec.name(), version, c.kernelVersion(), c.rootfs().tarSha256(),
                    done.rootfs(), digests, cached, seconds, builderId, withCaps,
                    request.keepContainer() ? container.id() : null);
        } finally {
            container.close();
        }
    }

    private Duration runStage(BuilderContainer container, StageInput in, String digest, BuildLog log) {
        listener.stageStarted(in.stage());
        log.section(in.stage() + (digest.isEmpty() ? "" : " " + digest));
        Instant t0 = Instant.now();
        container.execChecked(List.of("sh", "-c", "rm -rf /build/stage && mkdir -p /build/stage /build/out"));
        container.copyIn(in.files(), "/build/stage");
        Map<String, String> env = new LinkedHashMap<>(in.env());
        env.put("ROOT", BUILD_ROOT);
        env.put("OUT", "/build/out");
        env.put("LC_ALL", "C.UTF-8");
        int code = container.exec(List.of("sh", "/build/stage/" + in.script()), env, log::line);
        if (code != 0) {
            List<String> failing = log.failingLines();
            listener.stageFailed(in.stage(), code, failing);
            throw new RoclusterException("stage " + in.stage() + " failed (exit " + code + ")"
                    + (failing.isEmpty() ? "" : ": " + failing.get(failing.size() - 1).strip())
                    + "; its output is in the build log");
        }
        return Duration.between(t0, Instant.now());
    }

    private static String version(BuildRequest request, ArtefactStore store, String name) throws IOException {
        if (request.version().isPresent() && request.nightly()) {
            throw new RoclusterException("give either --version or --nightly, not both");
        }
        if (request.version().isPresent()) {
            ArtefactStore.requireValidVersion(request.version().get());
            return request.version().get();
        }
        if (request.nightly()) {
            return store.nextNightly(name, LocalDate.now(ZoneOffset.UTC));
        }
        throw new RoclusterException("no version: pass --version V or --nightly");
    }

    /** The staging directory goes with the failed build; its log is worth keeping. */
    private void keepFailedLog(Path log, String name, String version) {
        try {
            Path kept = Path.of(System.getProperty("java.io.tmpdir"), "rocluster-" + name + "-" + version + "-failed.log");
            Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
            listener.note("build log: " + kept);
        } catch (IOException | RuntimeException e) {
            // The failure itself is what the user needs; a lost log is secondary.
        }
    }

    /**
     * Cleanup that must also happen on Ctrl-C (SIGINT/SIGTERM run shutdown hooks): the staging directory and
     * the builder container go, so nothing is left half-written or running.
     */
    private static final class Interruption implements AutoCloseable {
        private final Thread hook;

        Interruption(Runnable cleanup) {
            hook = new Thread(cleanup, "rocluster-build-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook runs.
            }
        }
    }
}

package io.rocluster.build;

import io.rocluster.RoclusterException;
import io.rocluster.RoclusterVersion;
import io.rocluster.archive.FileEntry;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactStore;
import io.rocluster.artefact.ArtefactWriter;
import io.rocluster.artefact.signature.ArtefactSigner;
import io.rocluster.artefact.Manifest;
import io.rocluster.artefact.ManifestJson;
import io.rocluster.container.BuilderContainer;
import io.rocluster.container.BuilderImages;
import io.rocluster.container.DockerEngine;
import io.rocluster.readonly.KernelCmdline;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.ImageVersion;
import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code rocluster build}: spec in, artefact directory out. Runs the stages in a builder container, starting
 * from the deepest stage the cache holds, commits each new stage result to the cache, streams the root into
 * the rootfs tarball, and writes the artefact aside, renaming it into place only when complete.
 */
public final class ImageBuilder {

    private final BuildListener listener;

    public ImageBuilder(BuildListener listener) {
        this.listener = listener;
    }

    /** Runs a build. */
    public BuildResult build(BuildRequest request) throws IOException {
        ImageSpec spec = SpecLoader.load(request.spec());
        // The key is read first: a wrong path or passphrase fails now, not after a five-minute build.
        ArtefactSigner signer = request.signKey() == null ? null
                : ArtefactSigner.load(request.signKey(), request.passphraseFile());
        ArtefactStore store = new ArtefactStore(request.output());
        requireOneVersionSource(request);
        BuildContext context = new BuildContext(spec, SourceTree.locate(), sourceDateEpoch(request, spec));
        // Inputs first: a broken source tree fails before anything is started.
        List<StageInput> stages = Stages.inputs(context);
        // Run in every build, in this order, after the cached stages: reproducible, then collect.
        List<StageInput> uncached = List.of(Stages.REPRODUCIBLE.input(context), Stages.COLLECT.input(context));
        DockerEngine engine = DockerEngine.connect();
        if (request.ifChanged()) {
            Optional<BuildResult> same = unchanged(store, context, stages, uncached, engine);
            if (same.isPresent()) {
                return same.get();
            }
        }

        // A nightly version is chosen as its staging directory is made: two nightly builds started together differ.
        try (ArtefactWriter writer = request.nightly()
                        ? ArtefactWriter.createNightly(store, spec.name(), LocalDate.now(ZoneOffset.UTC))
                        : ArtefactWriter.create(store, spec.name(), request.version().get());
                BuildLog log = new BuildLog(writer.file(ArtefactDirectory.BUILD_LOG));
                Interruption onCtrlC = new Interruption(() -> {
                    try {
                        writer.close();
                    } catch (IOException e) {
                        // Exiting anyway; the next build removes a dead process's staging directory.
                    }
                })) {
            String version = writer.version();
            try {
                return build(new Run(request, spec, version, context, engine, writer, log, signer), stages, uncached);
            } catch (RuntimeException | IOException e) {
                // The failure is what the user needs: a log that cannot be written (a full disk) does not replace it.
                try {
                    log.line("build failed: " + e.getMessage());
                    log.close();
                    keepFailedLog(log.file(), spec.name(), version);
                } catch (RuntimeException | IOException logFailed) {
                    e.addSuppressed(logFailed);
                }
                throw e;
            }
        }
    }

    /**
     * One build once its artefact is being written: what every step needs.
     *
     * @param request the request
     * @param spec    the effective spec
     * @param version the version being built
     * @param context what stages read
     * @param engine  the Docker engine
     * @param writer  the artefact, written aside
     * @param log     its build log
     * @param signer  signs SHA256SUMS before the artefact is renamed into place, or null
     */
    private record Run(BuildRequest request, ImageSpec spec, String version, BuildContext context, DockerEngine engine,
            ArtefactWriter writer, BuildLog log, ArtefactSigner signer) {}

    /**
     * {@code --if-changed}: the newest artefact a build would reproduce, if any, else the reason is noted and the
     * build goes on. Costs the builder image check and one package resolution against the mirror.
     */
    private Optional<BuildResult> unchanged(ArtefactStore store, BuildContext context, List<StageInput> stages,
            List<StageInput> uncached, DockerEngine engine) throws IOException {
        String builderId = BuilderImages.ensure(engine, BuilderRecipes.of(context.spec().profile(), context.sources()),
                l -> { });
        String inputs = StageDigests.inputs(RoclusterVersion.get(), StageDigests.chain(builderId, stages), uncached);
        ChangeCheck.Verdict v = ChangeCheck.check(store, context.spec().name(), inputs, builderId,
                new PackageResolver(engine, builderId, context));
        if (v.unchanged()) {
            return Optional.of(BuildResult.unchanged(v.sameAs()));
        }
        v.why().forEach(w -> listener.note("changed: " + w));
        return Optional.empty();
    }

    /** The builder image, the steps (cached ones first found), the artefact. */
    private BuildResult build(Run run, List<StageInput> stages, List<StageInput> uncached) throws IOException {
        BuildLog log = run.log();
        log.section("builder image");
        String builderId = BuilderImages.ensure(run.engine(), BuilderRecipes.of(run.spec().profile(),
                run.context().sources()), log::line);
        log.line("builder image " + builderId);
        Map<String, String> digests = StageDigests.chain(builderId, stages);
        StageCache cache = new StageCache(run.engine());
        // The deepest stage the cache holds: the builder starts from its result, the stages up to it are reported.
        int cachedUpTo = -1;
        String startImage = builderId;
        for (int i = stages.size() - 1; i >= 0 && !run.request().noCache(); i--) {
            Optional<String> hit = cache.lookup(digests.get(stages.get(i).stage()));
            if (hit.isPresent()) {
                cachedUpTo = i;
                startImage = hit.get();
                break;
            }
        }
        StepsRunner steps = new StepsRunner(listener);
        for (int i = 0; i < stages.size(); i++) {
            StageInput in = stages.get(i);
            steps.add(new StageStep(new StageScript(in, log, listener), digests.get(in.stage()), i <= cachedUpTo, cache,
                    run.spec().name()));
        }
        String rootfsName = ArtefactDirectory.rootfsFileName(run.spec().name(), run.version());
        steps.add(new ScriptStep(new StageScript(uncached.get(0), log, listener)));
        CollectStep collect = new CollectStep(new StageScript(uncached.get(1), log, listener), run.writer(), rootfsName);
        steps.add(collect);

        BuilderContainer container = BuilderContainer.start(run.engine(), startImage,
                run.spec().name() + ":" + run.version(), run.request().keepContainer());
        try (Interruption onCtrlC = new Interruption(container::close)) {
            Map<String, Double> seconds = steps.run(container);
            CollectStep.Collected c = collect.collected();
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
            ImageSpec spec = run.spec();
            Manifest manifest = new Manifest(ManifestJson.FORMAT_VERSION, spec.name(), run.version(), spec.profile().id(),
                    c.kernelVersion(), KernelCmdline.imageArguments(spec), c.packages(),
                    new Manifest.Rootfs(rootfsName, c.rootfs().tarSha256(), c.rootfs().tarSize(),
                            c.rootfs().compressedSha256(), c.rootfs().compressedSize()),
                    c.files(), digests, builderId, spec, c.capabilityChanges(), RoclusterVersion.get(),
                    Instant.now().toString(), c.sourceDateEpoch(),
                    StageDigests.inputs(RoclusterVersion.get(), digests, uncached));
            ArtefactDirectory done = run.writer().commit(manifest, run.signer());
            int pruned = cache.prune(StageCache.keep(), digests.values());
            if (pruned > 0) {
                listener.note("stage cache: removed " + pruned + " old entries (keeping " + StageCache.keep() + ")");
            }
            return new BuildResult(done.dir(), spec.name(), run.version(), c.kernelVersion(), c.rootfs().tarSha256(),
                    done.rootfs(), digests, steps.cached(), seconds, builderId, withCaps,
                    run.request().keepContainer() ? container.id() : null,
                    run.signer() == null ? null : run.signer().keyId(), false);
        } finally {
            container.close();
        }
    }

    /**
     * The mtime clamp this build is given, decided here only: the spec's {@code sourceDateEpoch} when it fixes
     * one, else what was asked ({@code SOURCE_DATE_EPOCH}), else none, in which case the readonly stage takes the
     * newest build date of the installed packages (the manifest records the value used).
     */
    private static OptionalLong sourceDateEpoch(BuildRequest request, ImageSpec spec) {
        OptionalLong fixed = spec.fixedSourceDateEpoch();
        return fixed.isPresent() ? fixed : request.sourceDateEpoch();
    }

    private static void requireOneVersionSource(BuildRequest request) {
        if (request.version().isPresent() && request.nightly()) {
            throw new RoclusterException("give either --version or --nightly, not both");
        }
        if (request.version().isPresent()) {
            ImageVersion.check(request.version().get());
        } else if (!request.nightly()) {
            throw new RoclusterException("no version: pass --version V or --nightly");
        }
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

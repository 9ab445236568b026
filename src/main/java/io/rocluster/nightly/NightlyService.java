package io.rocluster.nightly;

import io.rocluster.RoclusterException;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.boot.BootMode;
import io.rocluster.boot.BootTestService;
import io.rocluster.boot.BootVerdict;
import io.rocluster.build.BuildListener;
import io.rocluster.build.BuildRequest;
import io.rocluster.build.BuildResult;
import io.rocluster.build.ImageBuilder;
import io.rocluster.master.BootTestResult;
import io.rocluster.master.DeployService;
import io.rocluster.master.GcService;
import io.rocluster.master.MasterLayout;
import io.rocluster.master.PromoteService;
import io.rocluster.master.StatusService;
import io.rocluster.spec.ImageSpec.Mode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code rocluster nightly}: the nightly job as one command. Builds the spec as the next nightly version if
 * anything changed ({@code build --nightly --if-changed}), deploys it, boot-tests it through PXE as clients boot,
 * promotes it only on a pass ({@code promote --require-boot-test}) and collects old versions. Each step reports
 * to the {@link Listener} as it ends. A failing step stops the job with a {@link RoclusterException} that says
 * which version the clients keep booting (the active one: nothing switches before the boot test passed).
 *
 * <p>A night with nothing new is cheap and idempotent: when the build says the newest artefact is what it would
 * make, the job carries that version on from where it stopped (deploy is a no-op when it is deployed, the boot
 * test is skipped when it passed), does nothing when it is already active, and leaves a version that failed its
 * boot test alone (there is nothing new to try).
 */
public final class NightlyService {

    /** What the job tells as it goes; one call per step, in order. */
    public interface Listener {
        void built(BuildResult result);

        void deployed(DeployService.Result result, Duration took);

        void bootTested(BootVerdict verdict);

        void promoted(PromoteService.Result result);

        void collected(GcService.Result result);

        /** A step not run, and why (one line). */
        void skipped(String step, String why);
    }

    /**
     * How the night ended, when it did not fail.
     *
     * @param version  the version the night was about (built, or the unchanged one)
     * @param built    whether a new artefact was made
     * @param promoted whether this night switched the clients to {@code version}
     * @param active   the version clients boot after the night
     */
    public record Outcome(String version, boolean built, boolean promoted, String active) {}

    private final PrintStream progress;

    /** @param progress where the steps' own progress lines go (the user's terminal, stderr) */
    public NightlyService(PrintStream progress) {
        this.progress = progress;
    }

    /** Runs the night. */
    public Outcome run(NightlyRequest request, BuildListener buildListener, DeployService.Progress deployProgress,
            Listener listener) throws IOException {
        MasterLayout master = request.master();
        // Before anything is built: a master that is not there fails in seconds, not after the build.
        master.requireInitialised();
        String activeBefore = active(master);

        BuildResult build = step("build", activeBefore, () -> new ImageBuilder(buildListener).build(new BuildRequest(
                request.spec(), request.output(), Optional.empty(), true, !request.useCache(), false,
                request.sourceDateEpoch(), request.signKey(), request.passphraseFile(), true)));
        listener.built(build);
        String version = build.version();
        if (build.unchanged() && version.equals(activeBefore)) {
            listener.skipped("deploy", version + " is deployed and active: nothing to do tonight");
            return new Outcome(version, false, false, activeBefore);
        }
        BootTestResult earlier = Files.exists(master.bootTest(version)) ? BootTestResult.read(master.bootTest(version)) : null;
        if (build.unchanged() && earlier != null && earlier.readable() && !earlier.passed()) {
            listener.skipped("boot-test", version + " failed its boot test (" + earlier.reason() + ") and nothing changed"
                    + " since: clients stay on " + describe(activeBefore));
            return new Outcome(version, false, false, activeBefore);
        }

        Instant t0 = Instant.now();
        DeployService.Result deployed = step("deploy", activeBefore,
                () -> new DeployService(master, progress).deploy(build.artefact(), deployProgress));
        listener.deployed(deployed, Duration.between(t0, Instant.now()));

        if (earlier != null && earlier.readable() && earlier.passed()) {
            listener.skipped("boot-test", version + " passed its boot test at " + earlier.startedAt());
        } else {
            // A diskful image is booted as diskful clients boot it: on a local disk laid out for its spec.
            boolean diskful = ArtefactDirectory.open(build.artefact()).manifest().spec().readonly().mode() == Mode.DISKFUL;
            BootVerdict verdict = step("boot-test", activeBefore, () -> new BootTestService(master, progress).run(version,
                    null, request.bootTimeout(), BootMode.PXE, diskful));
            listener.bootTested(verdict);
            if (!verdict.passed()) {
                throw new RoclusterException("nightly: " + version + " failed its boot test (" + verdict.reason()
                        + "): not promoted; clients stay on " + describe(activeBefore));
            }
        }

        PromoteService.Result promoted = step("promote", activeBefore, () -> new PromoteService(master, progress)
                .promote(version, true, "nightly build of " + request.spec().getFileName()));
        listener.promoted(promoted);

        GcService.Result gc = step("gc", version, () -> new GcService(master, progress).gc(request.keep(), false));
        listener.collected(gc);
        return new Outcome(version, !build.unchanged(), promoted.changed(), version);
    }

    private interface Step<T> {
        T run() throws IOException;
    }

    /** Runs one step; a failure names the step and the version clients keep. */
    private static <T> T step(String name, String active, Step<T> step) throws IOException {
        try {
            return step.run();
        } catch (RoclusterException e) {
            throw new RoclusterException("nightly: " + name + " failed: " + e.getMessage() + "; clients stay on "
                    + describe(active), e);
        }
    }

    private String active(MasterLayout master) {
        return new StatusService(master, progress).status().active();
    }

    private static String describe(String active) {
        return active == null ? "no version (none is active yet)" : active;
    }
}

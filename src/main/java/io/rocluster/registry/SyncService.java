package io.rocluster.registry;

import io.rocluster.RoclusterException;
import io.rocluster.boot.BootMode;
import io.rocluster.boot.BootVerdict;
import io.rocluster.boot.BootTestService;
import io.rocluster.master.MasterLayout;
import io.rocluster.master.PromoteService;
import io.rocluster.master.StatusService;
import io.rocluster.spec.ImageVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/**
 * {@code rocluster sync REF}: makes the master follow a tag. The version the tag names is deployed if missing
 * (pulled, then deployed with every check: {@link RegistryDeployService}), boot-tested if asked and not yet
 * passed, and switched to: with {@code promote} when it is newer than the active version, with
 * {@code rollback --to} when it is older (the tag was moved back), the history reason being
 * "sync REF". When it is already active, nothing is written: a timer can run sync every few minutes.
 */
public final class SyncService {

    /**
     * What a sync did.
     *
     * @param ref        the tag followed
     * @param version    the version it names
     * @param action     "none" (already active), "promote" or "rollback"
     * @param from       the version active before, or null
     * @param deployed   what deploying it did (its result says whether it was new)
     * @param bootTested true when this sync ran a boot test
     */
    public record Result(Reference ref, String version, String action, String from, RegistryDeployService.Result deployed,
            boolean bootTested) {}

    /** The boot test's limit, as boot-test's default: TCG is slow. */
    static final Duration BOOT_TEST_TIMEOUT = Duration.ofSeconds(900);

    private final MasterLayout layout;
    private final Map<String, String> env;
    private final PrintStream notices;

    public SyncService(MasterLayout layout, Map<String, String> env, PrintStream notices) {
        this.layout = layout;
        this.env = env;
        this.notices = notices;
    }

    /** Makes the default group follow {@code ref}. */
    public Result sync(Reference ref, boolean requireBootTest) {
        return sync(ref, requireBootTest, null);
    }

    /**
     * Makes {@code group} (null: the default group) follow {@code ref}: other groups are left as they are, so
     * a canary group can follow {@code :canary} while the rest follow {@code :stable}.
     */
    public Result sync(Reference ref, boolean requireBootTest, String group) {
        layout.requireInitialised();
        PullService.Remote remote = new PullService(env, notices).resolve(ref);
        String version = remote.version();
        RegistryDeployService.Result deployed = new RegistryDeployService(layout, env, notices).deploy(remote, false, null);
        boolean bootTested = false;
        if (requireBootTest && !passedBootTest(version)) {
            try {
                BootTestService boot = new BootTestService(layout, notices);
                BootVerdict v = boot.run(version, null, BOOT_TEST_TIMEOUT, BootMode.PXE, boot.isDiskful(version));
                bootTested = true;
                if (!v.passed()) {
                    throw new RoclusterException("version " + version + " (" + ref + ") failed its boot test (" + v.reason()
                            + "): it stays deployed but not active; fix the image and push a new version");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // The version the group boots now (a node group never promoted boots the default group's).
        String active = new StatusService(layout, notices).status(group).groups().get(0).state().active();
        String reason = "sync " + ref;
        if (version.equals(active)) {
            return new Result(ref, version, "none", active, deployed, bootTested);
        }
        PromoteService promote = new PromoteService(layout, notices);
        boolean back = active != null && ImageVersion.ORDER.compare(version, active) < 0;
        PromoteService.Result r = back ? promote.rollback(group, version, reason)
                : promote.promote(version, group, requireBootTest, reason);
        return new Result(ref, version, back ? "rollback" : "promote", r.from(), deployed, bootTested);
    }

    private boolean passedBootTest(String version) {
        io.rocluster.master.BootTestResult r = io.rocluster.master.BootTestResult.read(layout.bootTest(version));
        return r != null && r.readable() && r.passed() && version.equals(r.version());
    }
}

package io.rocluster.master;

import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import io.rocluster.spec.ImageVersion;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Promote and rollback: switch which version clients boot next. Under the master lock, one switch
 * publishes a new boot menu generation (the commit point: pxelinux, GRUB and iPXE configs change
 * together), then points {@code active} at the version and appends the history line. A crash after the
 * commit point is rolled forward by the next command; before it, nothing changed. Nothing here reads an
 * image tree, so a switch costs the same whatever the image size.
 */
public final class PromoteService {

    /**
     * What a switch did.
     *
     * @param from       the version active before, or null
     * @param to         the version active now
     * @param generation the boot config generation now live
     * @param changed    false when {@code to} was already active (nothing was written)
     */
    public record Result(String from, String to, long generation, boolean changed) {}

    /**
     * History lines a switch reads (from the end): enough to find the rollback target and the earlier
     * versions for the menu without reading a history that grows with every promote.
     */
    private static final int RECENT = 500;

    private final MasterLayout layout;
    private final PrintStream notices;

    public PromoteService(MasterLayout layout, PrintStream notices) {
        this.layout = layout;
        this.notices = notices;
    }

    /**
     * Makes {@code version} the default boot entry.
     *
     * @param requireBootTest refuse, changing nothing, unless images/&lt;v&gt;/boot-test.json records a pass
     *                        of this very version
     */
    public Result promote(String version, boolean requireBootTest, String reason) {
        ImageVersion.check(version);
        try (MasterSession s = MasterSession.open(layout, notices)) {
            layout.requireDeployed(version);
            if (requireBootTest) {
                requirePassedBootTest(version);
            }
            return switchTo(s, version, "promote", reason);
        }
    }

    /** Returns to {@code to}, or by default to the version active before the current one. */
    public Result rollback(String to, String reason) {
        if (to != null) {
            ImageVersion.check(to);
        }
        try (MasterSession s = MasterSession.open(layout, notices)) {
            String active = s.versions().active();
            String target = to;
            if (target == null) {
                if (active == null) {
                    throw new RoclusterException("nothing to roll back: no version was ever promoted on " + layout.root());
                }
                target = Versions.rollbackTarget(s.history().recent(RECENT), active);
                if (target == null) {
                    throw new RoclusterException("nothing to roll back to: " + active + " is the first version promoted "
                            + "here; use rollback --to VERSION");
                }
            }
            layout.requireDeployed(target);
            return switchTo(s, target, "rollback", reason);
        }
    }

    private Result switchTo(MasterSession s, String version, String action, String reason) {
        String active = s.versions().active();
        if (version.equals(active)) {
            return new Result(active, version, s.configs().current().generation(), false);
        }
        List<HistoryEntry> history = s.history().recent(RECENT);
        // The version being left becomes the first earlier entry: it is the rollback target.
        List<HistoryEntry> withThis = new java.util.ArrayList<>(history);
        withThis.add(new HistoryEntry("", "", action, active, version, null, -1));
        List<String> previous = s.versions().previousActives(withThis, version, s.config().pxe().previousEntries());
        PromotionRecord record = BootMenus.publish(s, action, version, active, previous, reason);
        Durable.replaceSymlink(layout.active(), Path.of("images", version));
        CrashPoints.reach("active-switched");
        s.history().append(record.historyEntry());
        return new Result(active, version, record.generation(), true);
    }


    private void requirePassedBootTest(String version) {
        Path file = layout.bootTest(version);
        BootTestResult r = BootTestResult.read(file);
        if (r == null) {
            throw new RoclusterException("version " + version + " has no boot test result (" + file
                    + "): run rocluster boot-test " + version + " first, or promote without --require-boot-test");
        }
        if (!r.readable()) {
            throw new RoclusterException(file + " is not a boot test result (" + r.reason() + "): run rocluster boot-test "
                    + version + " again");
        }
        if (!version.equals(r.version())) {
            throw new RoclusterException(file + " records a boot test of " + r.version() + ", not " + version
                    + ": run rocluster boot-test " + version);
        }
        if (!r.passed()) {
            throw new RoclusterException("version " + version + " failed its boot test (" + r.reason()
                    + "): fix the image, or promote without --require-boot-test");
        }
    }
}

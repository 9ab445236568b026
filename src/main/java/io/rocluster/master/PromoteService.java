package io.rocluster.master;

import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import io.rocluster.spec.ImageVersion;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Promote and rollback: switch which version a group of clients boots next. Under the master lock, one
 * switch publishes a new boot menu generation (the commit point: pxelinux, GRUB and iPXE configs of every
 * group change together), then, for the default group, points {@code active} at the version, and appends
 * the history line. A crash after the
 * commit point is rolled forward by the next command; before it, nothing changed. Nothing here reads an
 * image tree, so a switch costs the same whatever the image size.
 */
public final class PromoteService {

    /**
     * What a switch did.
     *
     * @param group      the group switched ({@link Groups#DEFAULT}: clients without a group of their own)
     * @param from       the version the group booted before, or null
     * @param to         the version it boots now
     * @param generation the boot config generation now live
     * @param changed    false when {@code to} was already the group's version (nothing was written)
     */
    public record Result(String group, String from, String to, long generation, boolean changed) {}

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

    /** Makes {@code version} the default group's version. */
    public Result promote(String version, boolean requireBootTest, String reason) {
        return promote(version, null, requireBootTest, false, reason);
    }

    /** {@link #promote(String, String, boolean, boolean, String)} of a signed (or no-trust) master's version. */
    public Result promote(String version, String group, boolean requireBootTest, String reason) {
        return promote(version, group, requireBootTest, false, reason);
    }

    /** {@link #promote(String, String, boolean, boolean, String)} to the default group. */
    public Result promote(String version, boolean requireBootTest, boolean allowUnsigned, String reason) {
        return promote(version, null, requireBootTest, allowUnsigned, reason);
    }

    /**
     * Makes {@code version} the version {@code group}'s clients boot next; other groups are unchanged. On a
     * master that trusts signing keys a version deployed unsigned is refused unless {@code allowUnsigned}.
     *
     * @param group           a node group, or null for the default group
     * @param requireBootTest refuse, changing nothing, unless images/&lt;v&gt;/boot-test.json records a pass
     *                        of this very version
     */
    public Result promote(String version, String group, boolean requireBootTest, boolean allowUnsigned, String reason) {
        ImageVersion.check(version);
        String g = Groups.normalise(group);
        try (MasterSession s = MasterSession.open(layout, notices)) {
            layout.requireDeployed(version);
            if (!Groups.isDefault(g) && ClientRegistry.read(layout).stream().noneMatch(c -> g.equals(c.group()))) {
                throw new RoclusterException("group " + g + " has no clients: add one with rocluster clients add FQDN "
                        + "--mac MAC --group " + g + " (or clients set FQDN --group " + g + ") first");
            }
            if (!allowUnsigned && !TrustService.trusted(layout).isEmpty() && !DeployRecord.read(layout, version).signed()) {
                throw new RoclusterException("version " + version + " was deployed unsigned and this master trusts only"
                        + " signed artefacts: deploy a signed build under a new version, or promote --allow-unsigned");
            }
            if (requireBootTest) {
                requirePassedBootTest(version);
            }
            return switchTo(s, g, version, "promote", reason);
        }
    }

    /** Returns the default group to {@code to}, or by default to its version before the current one. */
    public Result rollback(String to, String reason) {
        return rollback(null, to, reason);
    }

    /** Returns {@code group} to {@code to}, or by default to the version it booted before the current one. */
    public Result rollback(String group, String to, String reason) {
        if (to != null) {
            ImageVersion.check(to);
        }
        String g = Groups.normalise(group);
        try (MasterSession s = MasterSession.open(layout, notices)) {
            GroupState state = group(s, g);
            String target = to;
            if (target == null) {
                if (state.active() == null) {
                    throw new RoclusterException("nothing to roll back: no version was ever promoted on " + layout.root());
                }
                if (!state.ownVersion()) {
                    throw new RoclusterException("nothing to roll back in group " + g + ": it was never promoted and boots "
                            + "the default group's " + state.active() + "; use rollback --group " + g + " --to VERSION");
                }
                target = state.rollbackTarget();
                if (target == null) {
                    throw new RoclusterException("nothing to roll back to: " + state.active() + " is the first version "
                            + "promoted " + (Groups.isDefault(g) ? "here" : "to group " + g) + "; use rollback "
                            + (Groups.isDefault(g) ? "" : "--group " + g + " ") + "--to VERSION");
                }
            }
            layout.requireDeployed(target);
            return switchTo(s, g, target, "rollback", reason);
        }
    }

    /** The state of group {@code g}, or one line naming the groups there are. */
    private GroupState group(MasterSession s, String g) {
        List<GroupState> all = GroupState.all(s.configs().current(), s.versions().active(), s.history().recent(RECENT),
                ClientRegistry.read(layout));
        GroupState state = GroupState.find(all, g);
        if (state == null) {
            throw new RoclusterException("no group " + g + " on " + layout.root() + ": groups are "
                    + String.join(", ", all.stream().map(GroupState::name).toList())
                    + " (rocluster clients list shows who is in each)");
        }
        return state;
    }

    private Result switchTo(MasterSession s, String group, String version, String action, String reason) {
        PromotionRecord current = s.configs().current();
        String defaultActive = s.versions().active();
        String own = Groups.isDefault(group) ? defaultActive : current == null ? null : current.activeOf(group);
        if (version.equals(own)) {
            return new Result(group, own, version, current == null ? 0 : current.generation(), false);
        }
        // A node group promoted for the first time leaves the default group's version: that is its way back.
        String from = own != null ? own : defaultActive;
        List<HistoryEntry> history = GroupState.of(s.history().recent(RECENT), group);
        // The version being left becomes the first earlier entry: it is the rollback target.
        List<HistoryEntry> withThis = new java.util.ArrayList<>(history);
        withThis.add(new HistoryEntry("", "", action, from, version, null, -1, Groups.stored(group)));
        List<String> menu = new java.util.ArrayList<>();
        menu.add(version);
        menu.addAll(s.versions().previousActives(withThis, version, s.config().pxe().previousEntries()));
        PromotionRecord record = BootMenus.publish(s, action, group, from, BootMenus.Menus.of(current).with(group, menu),
                reason);
        if (Groups.isDefault(group)) {
            Durable.replaceSymlink(layout.active(), Path.of("images", version));
        }
        CrashPoints.reach("active-switched");
        s.history().append(record.historyEntry());
        return new Result(group, from, version, record.generation(), true);
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

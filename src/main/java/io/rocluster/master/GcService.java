package io.rocluster.master;

import io.rocluster.archive.Durable;
import io.rocluster.archive.FileTrees;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code rocluster gc}: removes old versions, keeping the {@code keep} most recently deployed ones and,
 * whatever their age, every group's version and rollback target and pinned versions. A removed version
 * that the live boot menu still offers is first dropped from the menu (a new generation), so no config
 * ever points at a deleted kernel; each version is then renamed out of {@code images/} in one step
 * (absent or complete, never half-deleted) and deleted.
 */
public final class GcService {

    /**
     * What gc did or would do.
     *
     * @param removed    versions removed (or to be removed, with dry run)
     * @param kept       versions kept, with why
     * @param freedBytes disk freed (blocks used by the removed versions alone)
     * @param dryRun     nothing was changed
     */
    public record Result(List<String> removed, List<String> kept, long freedBytes, boolean dryRun) {}

    private final MasterLayout layout;
    private final PrintStream notices;

    public GcService(MasterLayout layout, PrintStream notices) {
        this.layout = layout;
        this.notices = notices;
    }

    public Result gc(int keep, boolean dryRun) {
        if (keep < 0) {
            throw new io.rocluster.RoclusterException("--keep must be 0 or more");
        }
        try (MasterSession s = MasterSession.open(layout, notices)) {
            Versions versions = s.versions();
            List<HistoryEntry> history = s.history().read();
            String active = versions.active();
            String rollback = active == null ? null : Versions.rollbackTarget(GroupState.of(history, Groups.DEFAULT), active);
            // Every node group's own version and rollback target stay too.
            Map<String, String> groupKeeps = new HashMap<>();
            for (GroupState g : GroupState.all(s.configs().current(), active, history, ClientRegistry.read(layout))) {
                if (!Groups.isDefault(g.name()) && g.ownVersion()) {
                    groupKeeps.putIfAbsent(g.active(), "active in group " + g.name());
                    if (g.rollbackTarget() != null) {
                        groupKeeps.putIfAbsent(g.rollbackTarget(), "rollback target of group " + g.name());
                    }
                }
            }
            List<String> kept = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            List<VersionUse> claims = new ArrayList<>();
            try {
                int recent = 0;
                for (DeployRecord d : versions.byDeployTime()) {
                    String v = d.version();
                    String why = v.equals(active) ? "active" : v.equals(rollback) ? "rollback target"
                            : groupKeeps.containsKey(v) ? groupKeeps.get(v)
                            : versions.isPinned(v) ? "pinned" : recent < keep ? "recent" : null;
                    if (why == null) {
                        // A boot test reading this version holds it; it is removed by a later gc.
                        VersionUse claim = VersionUse.tryExclusive(layout, v);
                        if (claim == null) {
                            why = "in use by a boot test";
                        } else {
                            claims.add(claim);
                        }
                    }
                    if (why == null) {
                        removed.add(v);
                    } else {
                        if (why.equals("recent")) {
                            recent++;
                        }
                        kept.add(v + " (" + why + ")");
                    }
                }
                long freed = 0;
                for (String v : removed) {
                    freed += DiskUsage.of(layout.image(v), layout.tftpImage(v)).aloneBytes();
                }
                if (!dryRun && !removed.isEmpty()) {
                    dropFromMenu(s, Set.copyOf(removed));
                    for (String v : removed) {
                        remove(v);
                        Files.deleteIfExists(layout.inUse(v));
                    }
                }
                return new Result(removed, kept, freed, dryRun);
            } finally {
                claims.forEach(VersionUse::close);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void dropFromMenu(MasterSession s, Set<String> removed) {
        PromotionRecord current = s.configs().current();
        BootMenus.Menus menus = BootMenus.Menus.of(current);
        if (!menus.offersAny(removed)) {
            return;
        }
        BootMenus.publish(s, "gc", null, current.active(), menus.without(removed), "gc removed " + String.join(", ", removed));
    }

    private void remove(String version) throws IOException {
        Path trash = Durable.asideName(layout.images().resolve(version), ".trash-");
        Durable.rename(layout.image(version), trash);
        CrashPoints.reach("gc-version-hidden");
        FileTrees.delete(layout.tftpImage(version));
        FileTrees.delete(trash);
    }
}

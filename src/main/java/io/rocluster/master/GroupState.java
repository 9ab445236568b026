package io.rocluster.master;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one group of clients boots: its version, how it got there, what its rollback would do, who is in
 * it. The default group's version is {@code active}; a node group's is in the live generation's record
 * (a node group that was never promoted follows the default group). Each group's history is the part of
 * history.jsonl that names it.
 *
 * @param name           the group ({@link Groups#DEFAULT} for clients without one)
 * @param active         the version its clients boot next, or null when nothing is promoted
 * @param ownVersion     false when a node group has no version of its own and boots the default group's
 * @param lastSwitch     the history line that made {@code active} the group's version, or null
 * @param rollbackTarget what {@code rollback --group} would switch the group to, or null
 * @param menu           the versions its boot menu offers, default first
 * @param clients        its registered clients (FQDNs)
 */
public record GroupState(String name, String active, boolean ownVersion, HistoryEntry lastSwitch,
        String rollbackTarget, List<String> menu, List<String> clients) {

    public GroupState {
        menu = List.copyOf(menu);
        clients = List.copyOf(clients);
    }

    /** Every group of the master, the default group first, then the node groups by name. */
    static List<GroupState> all(PromotionRecord current, String defaultActive, List<HistoryEntry> history,
            List<RegisteredClient> clients) {
        Map<String, List<String>> members = new TreeMap<>();
        for (String g : current == null ? List.<String>of() : current.groups().keySet()) {
            members.put(g, new ArrayList<>());
        }
        List<String> defaults = new ArrayList<>();
        for (RegisteredClient c : clients) {
            if (c.group() == null) {
                defaults.add(c.fqdn());
            } else {
                members.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c.fqdn());
            }
        }
        List<GroupState> out = new ArrayList<>();
        out.add(of(Groups.DEFAULT, defaultActive, true, current == null ? List.of() : current.menu(), history, defaults));
        for (Map.Entry<String, List<String>> g : members.entrySet()) {
            String own = current == null ? null : current.activeOf(g.getKey());
            out.add(own != null
                    ? of(g.getKey(), own, true, current.menuOf(g.getKey()), history, g.getValue())
                    : of(g.getKey(), defaultActive, false, current == null ? List.of() : current.menu(), history, g.getValue()));
        }
        return out;
    }

    private static GroupState of(String name, String active, boolean own, List<String> menu, List<HistoryEntry> history,
            List<String> clients) {
        List<HistoryEntry> mine = own ? of(history, name) : List.of();
        HistoryEntry last = null;
        for (int i = mine.size() - 1; i >= 0 && active != null; i--) {
            if (active.equals(mine.get(i).to())) {
                last = mine.get(i);
                break;
            }
        }
        String target = active == null || !own ? null : Versions.rollbackTarget(mine, active);
        return new GroupState(name, active, own, last, target, menu, clients);
    }

    /** The history lines of {@code group}. */
    static List<HistoryEntry> of(List<HistoryEntry> history, String group) {
        return history.stream().filter(e -> e.groupName().equals(group)).toList();
    }

    /** The group named {@code name} in {@code groups}, or null. */
    static GroupState find(List<GroupState> groups, String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
    }
}

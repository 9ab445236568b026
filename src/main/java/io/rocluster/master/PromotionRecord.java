package io.rocluster.master;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code promotion.json} inside a boot config generation: what the generation serves and which change
 * published it. Switching {@code tftpboot/configs/current} to a generation is the commit point of
 * promote, rollback, gc and client changes; it carries every group's menu at once, so a crash leaves
 * every group's old state or every group's new state. The record lets the next command finish what a
 * crash interrupted after the commit point (the {@code active} symlink and the history line).
 *
 * @param generation the generation number (directory {@code g<N>})
 * @param action     {@code init}, {@code promote}, {@code rollback}, {@code gc} (menus re-rendered without
 *                   removed versions) or {@code clients} (clients changed group or MAC)
 * @param active     the default group's version (the fallback menu's default entry), or null
 * @param from       the switched group's version before this change (promote/rollback), else as active
 * @param menu       the fallback menu: every version offered, default first
 * @param time       ISO-8601 UTC
 * @param user       who made the change
 * @param reason     the operator's reason, or null
 * @param group      the node group this promote or rollback switched, null for the default group
 * @param groups     each node group that runs a version of its own: its menu, its version first (a group
 *                   not listed follows the default group)
 * @param clients    the clients of node groups this generation was rendered for (from clients.json)
 */
public record PromotionRecord(long generation, String action, String active, String from, List<String> menu,
        String time, String user, String reason, String group, Map<String, List<String>> groups,
        List<RegisteredClient> clients) {

    public PromotionRecord {
        menu = menu == null ? List.of() : List.copyOf(menu);
        groups = groups == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(groups));
        clients = clients == null ? List.of() : List.copyOf(clients);
    }

    /** A record of a change that involves no node group. */
    public PromotionRecord(long generation, String action, String active, String from, List<String> menu,
            String time, String user, String reason) {
        this(generation, action, active, from, menu, time, user, reason, null, Map.of(), List.of());
    }

    /** Whether this change is recorded in history.jsonl. */
    boolean switchesActive() {
        return action.equals("promote") || action.equals("rollback");
    }

    /** The version {@code group} runs in this generation, or null when it runs none of its own. */
    String activeOf(String group) {
        if (Groups.isDefault(group)) {
            return active;
        }
        List<String> m = groups.get(group);
        return m == null || m.isEmpty() ? null : m.get(0);
    }

    /** The menu {@code group} boots in this generation (its version first), or empty. */
    List<String> menuOf(String group) {
        return Groups.isDefault(group) ? menu : groups.getOrDefault(group, List.of());
    }

    HistoryEntry historyEntry() {
        return new HistoryEntry(time, user, action, from, activeOf(group), reason, generation, Groups.stored(group));
    }
}

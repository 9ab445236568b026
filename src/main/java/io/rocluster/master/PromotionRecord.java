package io.rocluster.master;

import java.util.List;

/**
 * {@code promotion.json} inside a boot config generation: what the generation's menu offers and which
 * change published it. Switching {@code tftpboot/configs/current} to a generation is the commit point of
 * promote, rollback and gc; the record lets the next command finish what a crash interrupted after it
 * (the {@code active} symlink and the history line).
 *
 * @param generation the generation number (directory {@code g<N>})
 * @param action     {@code init}, {@code promote}, {@code rollback} or {@code gc} (a menu re-rendered
 *                   without removed versions)
 * @param active     the default entry, or null when nothing is promoted
 * @param from       the version active before this change (promote/rollback), else the same as active
 * @param menu       every version offered, default first
 * @param time       ISO-8601 UTC
 * @param user       who made the change
 * @param reason     the operator's reason, or null
 */
public record PromotionRecord(long generation, String action, String active, String from, List<String> menu,
        String time, String user, String reason) {

    /** Whether this change is recorded in history.jsonl. */
    boolean switchesActive() {
        return action.equals("promote") || action.equals("rollback");
    }

    HistoryEntry historyEntry() {
        return new HistoryEntry(time, user, action, from, active, reason, generation);
    }
}

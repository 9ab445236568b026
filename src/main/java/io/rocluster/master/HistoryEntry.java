package io.rocluster.master;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of {@code history.jsonl}: a switch of the active version.
 *
 * @param time       ISO-8601 UTC
 * @param user       who ran it ({@code SUDO_USER} when run through sudo)
 * @param action     {@code promote} or {@code rollback}
 * @param from       the version active before, or null for the first promote
 * @param to         the version active after
 * @param reason     the operator's {@code --reason}, or null
 * @param generation the boot config generation this switch published (ties the line to
 *                   {@code tftpboot/configs/g<N>} for crash recovery)
 * @param group      the node group switched, or null for the default group (absent from its lines, so
 *                   lines written before groups existed read the same)
 */
public record HistoryEntry(String time, String user, String action, String from, String to, String reason,
        long generation, @JsonInclude(JsonInclude.Include.NON_NULL) String group) {

    /** A switch of the default group. */
    public HistoryEntry(String time, String user, String action, String from, String to, String reason,
            long generation) {
        this(time, user, action, from, to, reason, generation, null);
    }

    /** The group switched, {@link Groups#DEFAULT} for the default group. */
    public String groupName() {
        return group == null ? Groups.DEFAULT : group;
    }

    /** The name recorded as "user": the invoking user behind sudo, else the process owner. */
    static String currentUser() {
        String sudo = System.getenv("SUDO_USER");
        if (sudo != null && !sudo.isBlank()) {
            return sudo;
        }
        return System.getProperty("user.name", "unknown");
    }
}

package io.rocluster.master;

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
 */
public record HistoryEntry(String time, String user, String action, String from, String to, String reason,
        long generation) {

    /** The name recorded as "user": the invoking user behind sudo, else the process owner. */
    static String currentUser() {
        String sudo = System.getenv("SUDO_USER");
        if (sudo != null && !sudo.isBlank()) {
            return sudo;
        }
        return System.getProperty("user.name", "unknown");
    }
}

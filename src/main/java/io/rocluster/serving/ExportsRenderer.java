package io.rocluster.serving;

import java.util.List;

/**
 * Renders {@code /etc/exports.d/rocluster.exports} for the Linux kernel NFS server (exports(5)).
 *
 * <p>Options, and why: {@code no_root_squash} because a client's root user must read root-only files of
 * its root file system and write its own state; {@code no_subtree_check} because subtree checking breaks
 * on renames and gains nothing when whole trees are exported; {@code sync} on the read-write state
 * export so a client's log survives a server crash; {@code crossmnt} lets clients descend into
 * filesystems mounted below the export.
 */
public final class ExportsRenderer {

    private ExportsRenderer() {}

    /** Renders the exports, one line each, after a comment header. */
    public static String render(List<NfsExport> exports) {
        StringBuilder b = new StringBuilder();
        b.append("# NFS exports of a rocluster master (exports(5)); written by `rocluster render exports`.\n");
        b.append("# Install as /etc/exports.d/rocluster.exports and run `exportfs -ra`.\n");
        for (NfsExport e : exports) {
            if (!e.path().equals(e.pseudo())) {
                throw new IllegalArgumentException("the kernel NFS server exports paths as they are: " + e.path()
                        + " cannot appear to clients as " + e.pseudo());
            }
            String options = e.access() == NfsExport.Access.RO
                    ? "ro,no_root_squash,no_subtree_check,crossmnt"
                    : "rw,sync,no_root_squash,no_subtree_check";
            b.append(e.path()).append(' ').append(e.clients()).append('(').append(options).append(")\n");
        }
        return b.toString();
    }
}

package io.rocluster.serving;

import java.util.Objects;

/**
 * One directory the master exports over NFS.
 *
 * @param path    the directory on the server
 * @param pseudo  the path clients mount (NFSv4 pseudo path for NFS-Ganesha); the kernel server exports
 *                {@code path} as is, so for it the two must be equal
 * @param access  read-only (images) or read-write (client state)
 * @param clients who may mount it
 */
public record NfsExport(String path, String pseudo, Access access, Ipv4Range clients) {

    /** Access granted to the clients. */
    public enum Access {
        /** Read-only: image versions are immutable. */
        RO,
        /** Read-write: per-client state directories. */
        RW
    }

    public NfsExport {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(pseudo, "pseudo");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(clients, "clients");
        for (String p : new String[] {path, pseudo}) {
            if (!p.startsWith("/") || p.chars().anyMatch(c -> c < 0x21 || c == '"' || c == '\\' || c == ';')) {
                throw new IllegalArgumentException("export paths must be absolute, without blanks, quotes, "
                        + "backslashes or semicolons: " + p);
            }
        }
    }
}

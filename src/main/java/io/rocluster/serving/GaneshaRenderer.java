package io.rocluster.serving;

import java.util.List;

/**
 * Renders NFS-Ganesha {@code EXPORT} blocks (VFS backend). Ganesha maps each server directory
 * ({@code Path}) to the path clients mount ({@code Pseudo}), so a master kept anywhere on the server can
 * appear to clients at the root path baked into their images.
 *
 * <p>Access is granted only through a {@code CLIENT} block for the client range; the export itself
 * allows nothing. Root is not squashed: a client's root user must read its root file system's root-only
 * files and write its own state directory.
 */
public final class GaneshaRenderer {

    private GaneshaRenderer() {}

    /**
     * One {@code EXPORT} block.
     *
     * @param exportId   a number unique among the server's exports (1 and up; 0 is Ganesha's pseudo root)
     * @param export     what to export
     * @param nfsVersion 3 or 4: the protocols the export answers (NFSv3 also needs NFSv4's pseudo path
     *                   unless {@code Mount_Path_Pseudo} is set, so 3 exports on both)
     */
    public static String exportBlock(int exportId, NfsExport export, int nfsVersion) {
        if (exportId < 1 || exportId > 65535) {
            throw new IllegalArgumentException("exportId must be 1 to 65535");
        }
        String access = export.access() == NfsExport.Access.RO ? "RO" : "RW";
        // Repeated in CLIENT: a CLIENT block without it claims every protocol, and Ganesha warns.
        String protocols = nfsVersion == 4 ? "4" : "3, 4";
        return "EXPORT {\n"
                + "\tExport_Id = " + exportId + ";\n"
                + "\tPath = \"" + export.path() + "\";\n"
                + "\tPseudo = \"" + export.pseudo() + "\";\n"
                + "\tProtocols = " + protocols + ";\n"
                + "\tTransports = TCP;\n"
                + "\tSecType = sys;\n"
                + "\tAccess_Type = None;\n"
                + "\tSquash = No_Root_Squash;\n"
                + "\tFSAL {\n\t\tName = VFS;\n\t}\n"
                + "\tCLIENT {\n"
                + "\t\tClients = " + export.clients() + ";\n"
                + "\t\tAccess_Type = " + access + ";\n"
                + "\t\tProtocols = " + protocols + ";\n"
                + "\t}\n"
                + "}\n";
    }

    /** Several blocks with consecutive ids from {@code firstId}, after a comment header. */
    public static String render(List<NfsExport> exports, int firstId, int nfsVersion) {
        StringBuilder b = new StringBuilder();
        b.append("# NFS-Ganesha exports of a rocluster master; written by `rocluster render ganesha`.\n");
        b.append("# Include from ganesha.conf (%include \"/etc/ganesha/rocluster.conf\").\n");
        // Seen in the boot test: without numeric owners, clients' NFSv4 owner-name lookups stall the boot.
        b.append("# ganesha.conf also needs NFSv4 { Only_Numeric_Owners = true; }: diskless clients have no\n");
        b.append("# idmapd running early, and their boot stalls on owner-name lookups otherwise.\n");
        if (nfsVersion == 3) {
            b.append("# NFSv3 clients mount the Pseudo paths only with NFS_CORE_PARAM { Mount_Path_Pseudo = true; }.\n");
        }
        int id = firstId;
        for (NfsExport e : exports) {
            b.append('\n').append(exportBlock(id++, e, nfsVersion));
        }
        return b.toString();
    }
}

package io.rocluster.boot;

import java.nio.file.Path;
import java.util.List;

/**
 * One NFS-Ganesha export of the boot test's private server.
 *
 * @param id        Export_Id, unique and positive
 * @param path      the real directory served
 * @param pseudo    the NFSv4 path clients mount it at (as the image expects it)
 * @param readWrite RW (the state area) or RO (the images)
 */
public record GaneshaExport(int id, Path path, String pseudo, boolean readWrite) {

    /** Renders EXPORT blocks: root squashing off, because a client's root owns its files in the state area. */
    public static String render(List<GaneshaExport> exports) {
        StringBuilder b = new StringBuilder();
        for (GaneshaExport e : exports) {
            b.append("EXPORT {\n")
                    .append("    Export_Id = ").append(e.id()).append(";\n")
                    .append("    Path = \"").append(e.path()).append("\";\n")
                    .append("    Pseudo = \"").append(e.pseudo()).append("\";\n")
                    .append("    Access_Type = ").append(e.readWrite() ? "RW" : "RO").append(";\n")
                    .append("    Squash = No_Root_Squash;\n")
                    .append("    Protocols = 4;\n")
                    .append("    Transports = TCP;\n")
                    .append("    SecType = sys;\n")
                    .append("    FSAL { Name = VFS; }\n")
                    .append("}\n");
        }
        return b.toString();
    }
}

package io.rocluster.readonly;

import io.rocluster.spec.ImageSpec;
import java.util.List;

/**
 * {@code /etc/rwtab.d/rocluster} and {@code /etc/statetab.d/rocluster}, in the formats initscripts 9.49 reads
 * (FACTS "EL7 read-only root"): rwtab lines {@code dirs|empty|files<TAB><path>} (read with
 * {@code read type path}; a comment line's "type" matches no kind and is skipped), statetab one path per line
 * (read with {@code grep -v '^#'} and split on whitespace). Drop-in files, so EL7's stock /etc/rwtab stays
 * in force next to them.
 */
final class TabFiles {

    static final String RWTAB = "/etc/rwtab.d/rocluster";
    static final String STATETAB = "/etc/statetab.d/rocluster";

    private TabFiles() {}

    static RenderedFile rwtab(ImageSpec spec) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(RWTAB).append(" rendered by rocluster from the image spec (rwtab).\n");
        sb.append("# Made writable at boot from RW_MOUNT, lost at power-off. dirs: the directory tree without\n");
        sb.append("# files; empty: the directory only; files: a copy of the file or tree.\n");
        kind(sb, "dirs", spec.rwtab().dirs());
        kind(sb, "empty", spec.rwtab().empty());
        kind(sb, "files", spec.rwtab().files());
        return new RenderedFile(RWTAB, 0644, sb.toString());
    }

    static RenderedFile statetab(ImageSpec spec) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(STATETAB).append(" rendered by rocluster from the image spec (statetab).\n");
        sb.append("# Kept across boots in the client's state area (STATE_MOUNT), seeded from the image on first use.\n");
        for (String path : spec.statetab()) {
            sb.append(path).append('\n');
        }
        return new RenderedFile(STATETAB, 0644, sb.toString());
    }

    private static void kind(StringBuilder sb, String kind, List<String> paths) {
        for (String path : paths) {
            sb.append(kind).append('\t').append(path).append('\n');
        }
    }
}

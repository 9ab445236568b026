package io.rocluster.readonly;

import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.ImageSpec.Mode;
import io.rocluster.spec.ImageSpec.ReadOnly;
import java.util.regex.Pattern;

/**
 * {@code /etc/sysconfig/readonly-root}: the settings of initscripts 9.49's readonly-root service (EL7), which
 * rocluster's own implementation reads too on debian12. The file is sourced by the shell, so every variable
 * of initscripts is written (an absent one would fall back to initscripts' stock values) and values that
 * are not plain words are double-quoted (the spec loader refuses quotes, {@code $}, backquotes and
 * backslashes in them).
 */
final class ReadonlyRootFile {

    static final String PATH = "/etc/sysconfig/readonly-root";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9/._:,=+@-]*");

    private ReadonlyRootFile() {}

    static RenderedFile render(ImageSpec spec) {
        ReadOnly r = spec.readonly();
        boolean diskless = r.mode() == Mode.DISKLESS;
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(PATH).append(" rendered by rocluster from the image spec (readonly, nfs).\n");
        sb.append("# Read at boot by the image's readonly-root service.\n");
        line(sb, "READONLY", "yes");
        line(sb, "TEMPORARY_STATE", "yes");
        line(sb, "RW_MOUNT", r.rwMount());
        if (diskless) {
            // The reference procedure comments the labels out: a diskless client must never pick up a stray
            // local disk that happens to carry initscripts' default labels.
            sb.append("# Diskless: no local partition is used, so the labels stay unset.\n");
            sb.append("#RW_LABEL=stateless-rw\n");
        } else {
            line(sb, "RW_LABEL", r.rwLabel());
        }
        line(sb, "RW_OPTIONS", r.rwOptions());
        if (diskless) {
            sb.append("#STATE_LABEL=stateless-state\n");
        } else {
            line(sb, "STATE_LABEL", r.stateLabel());
        }
        line(sb, "STATE_MOUNT", r.stateMount());
        line(sb, "STATE_OPTIONS", r.stateOptions());
        if (diskless) {
            sb.append("# Diskless: the state area is CLIENTSTATE/<client host name>, mounted over NFS.\n");
            line(sb, "CLIENTSTATE", spec.nfs().server() + ":" + stateDirectory(spec));
        } else {
            sb.append("# Diskful: the state area is the partition labelled STATE_LABEL, never the master.\n");
            line(sb, "CLIENTSTATE", "");
        }
        line(sb, "SLAVE_MOUNTS", r.slaveMounts() ? "yes" : "no");
        return new RenderedFile(PATH, 0644, sb.toString());
    }

    /** The master's directory holding one state directory per client, as clients mount it. */
    static String stateDirectory(ImageSpec spec) {
        return spec.nfs().masterRoot() + "/state";
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(key).append('=').append(PLAIN.matcher(value).matches() ? value : '"' + value + '"').append('\n');
    }
}

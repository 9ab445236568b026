package io.rocluster.readonly;

import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.ImageSpec.Initramfs;
import java.util.List;

/**
 * {@code /etc/dracut.conf.d/rocluster.conf}: the initramfs settings, written by the build's initramfs stage
 * before it runs dracut (so that the initramfs depends on this file and the packages only, not on the
 * readonly stage), also part of the readonly stage's files for {@code rocluster apply}, and kept in the image so that a kernel update
 * inside it regenerates an initramfs that can still mount the NFS root (the reference procedure's advice).
 * Syntax of dracut.conf(5) as in dracut 033 (EL7) and 059 (Debian 12): sourced by bash, lists as
 * {@code +=" a b "} with spaces inside the quotes so several files can add to them.
 *
 * <p>No {@code root=} in {@code kernel_cmdline}: it names the deployed version's export, which the image
 * cannot know; the master's boot configs pass it, and dracut prefers the real command line anyway.
 */
public final class DracutConf {

    /** Where the file lives in the image. */
    public static final String PATH = "/etc/dracut.conf.d/rocluster.conf";

    private DracutConf() {}

    /** The file for {@code spec} (an effective spec). */
    public static RenderedFile render(ImageSpec spec) {
        Initramfs i = spec.initramfs();
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(PATH).append(" rendered by rocluster from the image spec (initramfs).\n");
        sb.append("# Kept in the image so a kernel update regenerates an initramfs that mounts the NFS root.\n");
        sb.append("# Generic, not host-only: every client boots the same initramfs.\n");
        sb.append("hostonly=\"no\"\n");
        list(sb, "add_dracutmodules", i.modules());
        list(sb, "omit_dracutmodules", i.omitModules());
        list(sb, "add_drivers", i.drivers());
        if (!i.cmdline().isEmpty()) {
            sb.append("kernel_cmdline=\"").append(i.cmdline()).append("\"\n");
        }
        return new RenderedFile(PATH, 0644, sb.toString());
    }

    private static void list(StringBuilder sb, String key, List<String> values) {
        if (!values.isEmpty()) {
            sb.append(key).append("+=\" ").append(String.join(" ", values)).append(" \"\n");
        }
    }
}

package io.rocluster.serving;

import io.rocluster.spec.ImageVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the pxelinux (BIOS), GRUB2 (UEFI) and iPXE boot menus of a master as a pure function of the
 * versions to offer: the first entry is the default, the others are the console rollback path. The same
 * code renders the live configs ({@code rocluster promote}) and the boot test's private TFTP tree (which
 * adds {@code rocluster.boottest} through {@link PxeSettings#extraArgs()}), so a boot test proves the
 * configs clients get.
 *
 * <p>Kernel and initramfs paths are relative to the TFTP root ({@code images/<v>/vmlinuz}); kernel
 * command lines come from {@link KernelCommandLine}. With no version to offer, each config says so and
 * hands the machine back to its firmware (local boot), rather than failing obscurely.
 */
public final class PxeConfigRenderer {

    private static final String DO_NOT_EDIT =
            "Written by rocluster (promote, rollback, gc); edits are lost at the next switch.";

    /** Where iPXE clients' own scripts are, relative to the TFTP root. */
    public static final String IPXE_CLIENT_DIR = "ipxe";

    private PxeConfigRenderer() {}

    /**
     * Renders the three configs.
     *
     * @param settings what every entry shares
     * @param entries  versions offered, default first; empty when nothing is promoted yet
     * @param header   one line identifying this menu (e.g. the generation and who promoted it), written as a
     *                 comment at the top of each file so the three can be matched up
     */
    public static PxeConfigs render(PxeSettings settings, List<BootImage> entries, String header) {
        return render(settings, entries, header, false);
    }

    /**
     * Renders what a master serves: the fallback menu every client gets unless its MAC has a menu of its
     * own, and one menu per client of a node group. pxelinux and GRUB find a client's file by its MAC
     * themselves ({@link MacAddress#pxelinuxName()}, {@link MacAddress#grubName()}); for iPXE the fallback
     * {@code boot.ipxe} first chains to the client's script ({@link MacAddress#ipxeName()} under
     * {@code ipxe/}) and falls through to its own menu when there is none.
     *
     * @param fallback entries of the menu for everyone else (the default group), default first
     * @param clients  the clients that get a menu of their own
     */
    public static ServedConfigs render(PxeSettings settings, List<BootImage> fallback, String header,
            List<ClientMenu> clients) {
        Map<MacAddress, PxeConfigs> perClient = new LinkedHashMap<>();
        for (ClientMenu c : clients) {
            if (perClient.put(c.mac(), render(settings, c.entries(), header + "; " + c.fqdn() + " (" + c.mac()
                    + ") of group " + c.group(), false)) != null) {
                throw new IllegalArgumentException("two menus for " + c.mac());
            }
        }
        return new ServedConfigs(render(settings, fallback, header, !clients.isEmpty()), perClient);
    }

    private static PxeConfigs render(PxeSettings settings, List<BootImage> entries, String header, boolean chain) {
        if (header.indexOf('\n') >= 0 || header.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("header must be one line");
        }
        for (BootImage e : entries) {
            checkArgs(e);
        }
        return new PxeConfigs(pxelinux(settings, entries, header), grub(settings, entries, header),
                ipxe(settings, entries, header, chain));
    }

    private static void checkArgs(BootImage e) {
        // A control character in an argument could start a new directive in any of the three files.
        String all = e.version() + e.kernelCmdline() + e.nfsOptions();
        for (int i = 0; i < all.length(); i++) {
            if (Character.isISOControl(all.charAt(i))) {
                throw new IllegalArgumentException("kernel arguments of " + e.version() + " contain a control character");
            }
        }
        ImageVersion.check(e.version());
    }

    private static String title(int index, BootImage e) {
        return "rocluster " + e.version() + (index == 0 ? " (default)" : " (previous)");
    }

    static String pxelinux(PxeSettings s, List<BootImage> entries, String header) {
        StringBuilder b = new StringBuilder();
        b.append("# rocluster boot menu for BIOS clients (pxelinux): ").append(header).append('\n');
        b.append("# ").append(DO_NOT_EDIT).append('\n');
        if (entries.isEmpty()) {
            b.append("DEFAULT local\nPROMPT 0\n");
            b.append("SAY rocluster: no version is promoted on this master yet; booting from the local disk.\n");
            b.append("LABEL local\n  LOCALBOOT 0\n");
            return b.toString();
        }
        int tenths = s.timeoutSeconds() * 10;
        if (s.menu() && tenths > 0) {
            b.append("UI menu.c32\nMENU TITLE rocluster\n");
        } else if (tenths > 0) {
            b.append("PROMPT 1\n");
            StringBuilder labels = new StringBuilder();
            for (BootImage e : entries) {
                labels.append(' ').append(e.version());
            }
            b.append("SAY rocluster: booting ").append(entries.get(0).version()).append(" in ")
                    .append(s.timeoutSeconds()).append(" s; type another label at boot: to choose:")
                    .append(labels).append('\n');
        } else {
            b.append("PROMPT 0\n");
        }
        b.append("TIMEOUT ").append(tenths).append('\n');
        b.append("DEFAULT ").append(entries.get(0).version()).append('\n');
        for (int i = 0; i < entries.size(); i++) {
            BootImage e = entries.get(i);
            b.append('\n');
            b.append("LABEL ").append(e.version()).append('\n');
            b.append("  MENU LABEL ").append(title(i, e)).append('\n');
            if (i == 0) {
                b.append("  MENU DEFAULT\n");
            }
            b.append("  KERNEL ").append(e.kernelPath()).append('\n');
            b.append("  INITRD ").append(e.initrdPath()).append('\n');
            b.append("  APPEND ").append(KernelCommandLine.of(s, e)).append('\n');
        }
        return b.toString();
    }

    static String grub(PxeSettings s, List<BootImage> entries, String header) {
        StringBuilder b = new StringBuilder();
        b.append("# rocluster boot menu for UEFI clients (GRUB2 network boot): ").append(header).append('\n');
        b.append("# ").append(DO_NOT_EDIT).append('\n');
        if (entries.isEmpty()) {
            b.append("echo 'rocluster: no version is promoted on this master yet; returning to the firmware.'\n");
            b.append("sleep 5\nexit\n");
            return b.toString();
        }
        b.append("set default=0\n");
        b.append("set timeout=").append(s.timeoutSeconds()).append('\n');
        for (int i = 0; i < entries.size(); i++) {
            BootImage e = entries.get(i);
            b.append('\n');
            b.append("menuentry '").append(title(i, e)).append("' --id 'rocluster-").append(e.version())
                    .append("' {\n");
            b.append("\techo 'Loading rocluster ").append(e.version()).append("...'\n");
            // The TFTP root is GRUB's root device when it boots from the network, so paths start at "/".
            b.append("\tlinux /").append(e.kernelPath()).append(' ').append(KernelCommandLine.of(s, e)).append('\n');
            b.append("\tinitrd /").append(e.initrdPath()).append('\n');
            b.append("}\n");
        }
        return b.toString();
    }

    static String ipxe(PxeSettings s, List<BootImage> entries, String header, boolean chain) {
        StringBuilder b = new StringBuilder();
        b.append("#!ipxe\n");
        b.append("# rocluster boot menu for iPXE clients: ").append(header).append('\n');
        b.append("# ").append(DO_NOT_EDIT).append('\n');
        if (chain) {
            // A client of a node group has a script of its own, named by its MAC; the rest (no such file:
            // the chain fails) carry on with this menu.
            b.append("chain --autofree ").append(IPXE_CLIENT_DIR).append("/01-${mac:hexhyp}.ipxe || goto rocluster-menu\n");
            b.append(":rocluster-menu\n");
        }
        if (entries.isEmpty()) {
            b.append("echo rocluster: no version is promoted on this master yet; returning to the firmware.\n");
            b.append("sleep 5\nexit 1\n");
            return b.toString();
        }
        if (s.timeoutSeconds() > 0) {
            b.append("menu rocluster\n");
            for (int i = 0; i < entries.size(); i++) {
                b.append("item rocluster-").append(i).append(' ').append(title(i, entries.get(i))).append('\n');
            }
            // No console or Escape: boot the default rather than stop.
            b.append("choose --default rocluster-0 --timeout ").append(s.timeoutSeconds() * 1000L)
                    .append(" target || goto rocluster-0\n");
            b.append("goto ${target}\n");
        } else {
            b.append("goto rocluster-0\n");
        }
        for (int i = 0; i < entries.size(); i++) {
            BootImage e = entries.get(i);
            b.append('\n');
            b.append(":rocluster-").append(i).append('\n');
            b.append("echo Loading rocluster ").append(e.version()).append("...\n");
            // initrd= names the image for kernels started through the EFI stub; BIOS boots ignore it.
            // From the TFTP root ("/"): relative paths resolve against the script's own URI, and a client's
            // script lives under ipxe/ (iPXE sends the path without its leading '/', as TFTP servers expect).
            b.append("kernel /").append(e.kernelPath()).append(" initrd=initramfs.img ")
                    .append(KernelCommandLine.of(s, e)).append('\n');
            b.append("initrd /").append(e.initrdPath()).append('\n');
            b.append("boot\n");
        }
        return b.toString();
    }
}

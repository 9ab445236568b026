package io.rocluster.master;

import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import io.rocluster.serving.PxeLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code rocluster master init}: creates a master's directories, copies the BIOS network boot loader
 * (pxelinux.0 and the syslinux modules) from the host's pxelinux and syslinux-common packages into
 * tftpboot, builds the UEFI one (a GRUB2 network image) when GRUB's modules are installed, publishes an
 * empty boot menu, and writes master.yaml last, so a master with master.yaml is
 * always complete.
 */
public final class MasterInitService {

    /**
     * What init did.
     *
     * @param config  the configuration written
     * @param created false when the master existed with the same configuration (nothing changed)
     * @param copied  boot loader files copied into tftpboot
     * @param notes   things the operator must do (missing packages, UEFI loader)
     */
    public record Result(MasterConfig config, boolean created, List<String> copied, List<String> notes) {}

    private final MasterLayout layout;
    private final PxeLoader loader;
    private final PrintStream notices;

    public MasterInitService(MasterLayout layout, PrintStream notices) {
        this(layout, PxeLoader.HOST, notices);
    }

    /** With the loader files from elsewhere (tests, other distributions). */
    public MasterInitService(MasterLayout layout, PxeLoader loader, PrintStream notices) {
        this.layout = layout;
        this.loader = loader;
        this.notices = notices;
    }

    /**
     * Initialises the master.
     *
     * @param force rewrite an existing master.yaml that differs (and re-render the live menu with it)
     */
    public Result init(String server, String clients, int nfsVersion, String clientRoot, MasterConfig.Pxe pxe,
            boolean force) {
        MasterConfig wanted = new MasterConfig(server, clients, nfsVersion,
                clientRoot == null ? MasterConfig.DEFAULT_CLIENT_ROOT : clientRoot,
                pxe == null ? MasterConfig.Pxe.defaults() : pxe).validate();
        if (Files.exists(layout.root()) && !Files.isDirectory(layout.root())) {
            throw new RoclusterException(layout.root() + " exists and is not a directory: choose another --master");
        }
        Durable.ensureDirectory(layout.root());
        try (MasterLock lock = MasterLock.acquire(layout.lock(), notices)) {
            MasterConfig existing = Files.exists(layout.config()) ? MasterConfig.read(layout.config()) : null;
            List<String> notes = new ArrayList<>();
            for (Path d : List.of(layout.images(), layout.state(), layout.pins(), layout.tftpImages(), layout.configs())) {
                Durable.ensureDirectory(d);
            }
            List<String> copied = copyLoaders(notes);
            boolean menuModules = PxeLoader.MENU_MODULES.stream().allMatch(m -> Files.isRegularFile(layout.tftpboot().resolve(m)));
            if (wanted.pxe().menu() && !menuModules) {
                notes.add("pxelinux menu modules (menu.c32, libutil.c32, libcom32.c32) are not in " + layout.tftpboot()
                        + ": using a boot: prompt instead");
                wanted = new MasterConfig(wanted.server(), wanted.clients(), wanted.nfsVersion(), wanted.clientRoot(),
                        new MasterConfig.Pxe(wanted.pxe().timeoutSeconds(), wanted.pxe().previousEntries(), false));
            }
            if (existing != null && !existing.equals(wanted) && !force) {
                throw new RoclusterException(layout.config() + " already exists with other settings: edit it, or run "
                        + "master init again with --force to replace it");
            }
            grubNetImage(copied, notes);
            new MasterRecovery(layout, notices).run();
            BootConfigStore store = new BootConfigStore(layout);
            PromotionRecord current = store.current();
            if (current == null) {
                BootMenus.publish(layout, wanted, "init", null, null, BootMenus.Menus.of(null), null,
                        ClientRegistry.read(layout));
            } else if (existing != null && !existing.equals(wanted) && current.active() != null) {
                // New server or paths: the live menu must point clients at them.
                BootMenus.publish(layout, wanted, "init", null, current.active(), BootMenus.Menus.of(current),
                        "master init --force", ClientRegistry.read(layout));
            }
            store.ensureEntryLinks();
            boolean created = existing == null || !existing.equals(wanted);
            if (created) {
                Durable.writeString(layout.config(), wanted.toYaml());
            }
            if (!Files.exists(layout.history())) {
                Durable.writeString(layout.history(), "");
            }
            return new Result(wanted, created, copied, notes);
        }
    }

    private List<String> copyLoaders(List<String> notes) {
        List<String> copied = new ArrayList<>();
        Path pxelinux = loader.pxelinux();
        if (Files.isRegularFile(pxelinux)) {
            copyIfChanged(pxelinux, copied);
        } else if (!Files.isRegularFile(layout.tftpboot().resolve(PxeLoader.BOOT_FILE))) {
            notes.add("no " + pxelinux + ": apt-get install pxelinux and run master init again, or copy pxelinux.0 into "
                    + layout.tftpboot());
        }
        for (Path m : loader.biosModules()) {
            copyIfChanged(m, copied);
        }
        if (!Files.isRegularFile(layout.tftpboot().resolve(PxeLoader.LDLINUX))) {
            notes.add("no ldlinux.c32 in " + loader.syslinuxBiosDir() + ": apt-get install syslinux-common and run master init again, "
                    + "or copy ldlinux.c32 into " + layout.tftpboot());
        }
        return copied;
    }

    /**
     * UEFI clients boot a GRUB2 network image that reads grub/grub.cfg from the TFTP server it came from:
     * built here with grub-mkimage when the host has GRUB's x86_64-efi modules (grub-efi-amd64-bin), kept
     * if one is already there (e.g. Debian's signed grubnetx64.efi.signed, for Secure Boot).
     */
    private void grubNetImage(List<String> copied, List<String> notes) {
        Path target = layout.tftpboot().resolve(PxeLoader.GRUB_NET_IMAGE);
        if (Files.exists(target)) {
            return;
        }
        if (!Files.isExecutable(PxeLoader.GRUB_MKIMAGE) || !loader.hasGrubEfiModules()) {
            notes.add("UEFI clients need a GRUB2 network image " + target + ": apt-get install grub-efi-amd64-bin and "
                    + "run master init again, or copy grubnetx64.efi.signed (grub-efi-amd64-signed) there");
            return;
        }
        Path aside = Durable.asideName(target, Durable.TMP_PREFIX);
        List<String> cmd = loader.grubMkimageCommand(aside);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                Files.deleteIfExists(aside);
                notes.add("grub-mkimage failed (" + out.strip() + "): UEFI clients need " + target);
                return;
            }
            Durable.syncFile(aside);
            Durable.rename(aside, target);
            copied.add(PxeLoader.GRUB_NET_IMAGE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.rocluster.RoclusterException("interrupted while building " + target);
        }
    }

    private void copyIfChanged(Path source, List<String> copied) {
        Path target = layout.tftpboot().resolve(source.getFileName().toString());
        try {
            byte[] bytes = Files.readAllBytes(source);
            if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
                return;
            }
            Durable.writeBytes(target, bytes);
            copied.add(target.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

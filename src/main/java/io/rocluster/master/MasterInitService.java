package io.rocluster.master;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code rocluster master init}: creates a master's directories, copies the BIOS network boot loader
 * (pxelinux.0 and the syslinux modules) from the host's pxelinux and syslinux-common packages into
 * tftpboot, builds the UEFI one (a GRUB2 network image) when GRUB's modules are installed, publishes an
 * empty boot menu, and writes master.yaml last, so a master with master.yaml is
 * always complete.
 */
public final class MasterInitService {

    /** Where Debian's pxelinux package puts pxelinux.0. */
    public static final Path PXELINUX_DIR = Path.of("/usr/lib/PXELINUX");
    /** Where Debian's syslinux-common package puts the BIOS modules (ldlinux.c32, menu.c32, …). */
    public static final Path SYSLINUX_BIOS_DIR = Path.of("/usr/lib/syslinux/modules/bios");

    private static final List<String> MENU_MODULES = List.of("menu.c32", "libutil.c32", "libcom32.c32");

    /** The UEFI boot file in tftpboot (dnsmasq's X86-64_EFI pxe-service names it). */
    public static final String GRUB_NET_IMAGE = "grubnetx64.efi";
    /** Where Debian's grub-efi-amd64-bin puts GRUB's UEFI modules. */
    public static final Path GRUB_EFI_MODULES = Path.of("/usr/lib/grub/x86_64-efi");
    private static final Path GRUB_MKIMAGE = Path.of("/usr/bin/grub-mkimage");
    /** Network (efinet, tftp), the menu (normal, configfile, echo, sleep, test), Linux boot, console output. */
    private static final List<String> GRUB_MODULES = List.of("efinet", "tftp", "net", "normal", "configfile", "echo",
            "sleep", "test", "linux", "gzio", "efi_gop", "efi_uga");

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
    private final Path pxelinuxDir;
    private final Path syslinuxDir;
    private final Path grubModules;
    private final PrintStream notices;

    public MasterInitService(MasterLayout layout, PrintStream notices) {
        this(layout, PXELINUX_DIR, SYSLINUX_BIOS_DIR, GRUB_EFI_MODULES, notices);
    }

    /** With other loader directories (tests, other distributions). */
    public MasterInitService(MasterLayout layout, Path pxelinuxDir, Path syslinuxDir, Path grubModules,
            PrintStream notices) {
        this.layout = layout;
        this.pxelinuxDir = pxelinuxDir;
        this.syslinuxDir = syslinuxDir;
        this.grubModules = grubModules;
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
            boolean menuModules = MENU_MODULES.stream().allMatch(m -> Files.isRegularFile(layout.tftpboot().resolve(m)));
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
                BootMenus.publish(layout, wanted, "init", null, null, List.of(), null);
            } else if (existing != null && !existing.equals(wanted) && current.active() != null) {
                // New server or paths: the live menu must point clients at them.
                BootMenus.publish(layout, wanted, "init", current.active(), current.active(),
                        current.menu().subList(1, current.menu().size()), "master init --force");
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
        Path pxelinux = pxelinuxDir.resolve("pxelinux.0");
        if (Files.isRegularFile(pxelinux)) {
            copyIfChanged(pxelinux, copied);
        } else if (!Files.isRegularFile(layout.tftpboot().resolve("pxelinux.0"))) {
            notes.add("no " + pxelinux + ": apt-get install pxelinux and run master init again, or copy pxelinux.0 into "
                    + layout.tftpboot());
        }
        if (Files.isDirectory(syslinuxDir)) {
            try (Stream<Path> s = Files.list(syslinuxDir)) {
                for (Path m : s.filter(p -> p.getFileName().toString().endsWith(".c32")).sorted().toList()) {
                    copyIfChanged(m, copied);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!Files.isRegularFile(layout.tftpboot().resolve("ldlinux.c32"))) {
            notes.add("no ldlinux.c32 in " + syslinuxDir + ": apt-get install syslinux-common and run master init again, "
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
        Path target = layout.tftpboot().resolve(GRUB_NET_IMAGE);
        if (Files.exists(target)) {
            return;
        }
        if (!Files.isExecutable(GRUB_MKIMAGE) || !Files.isRegularFile(grubModules.resolve("efinet.mod"))) {
            notes.add("UEFI clients need a GRUB2 network image " + target + ": apt-get install grub-efi-amd64-bin and "
                    + "run master init again, or copy grubnetx64.efi.signed (grub-efi-amd64-signed) there");
            return;
        }
        Path aside = Durable.asideName(target, Durable.TMP_PREFIX);
        List<String> cmd = new ArrayList<>(List.of(GRUB_MKIMAGE.toString(), "-O", "x86_64-efi", "-d", grubModules.toString(),
                "-p", "(tftp)/grub", "-o", aside.toString()));
        cmd.addAll(GRUB_MODULES);
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
            copied.add(GRUB_NET_IMAGE);
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

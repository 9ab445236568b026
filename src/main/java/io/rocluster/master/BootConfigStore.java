package io.rocluster.master;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import io.rocluster.archive.FileTrees;
import io.rocluster.serving.PxeConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The master's boot configs, published as whole generations so that pxelinux, GRUB and iPXE clients
 * always see the same menu: a generation directory {@code tftpboot/configs/g<N>/} holds all three files
 * and its {@link PromotionRecord}; one symlink rename of {@code configs/current} switches them together.
 * The paths firmware asks for ({@code pxelinux.cfg/default}, {@code grub/grub.cfg}, {@code boot.ipxe})
 * are fixed relative symlinks into {@code configs/current}, which TFTP servers (dnsmasq, tftpd-hpa even
 * when chrooted, QEMU's) follow.
 */
final class BootConfigStore {

    static final String PXELINUX = "pxelinux.cfg";
    static final String GRUB = "grub.cfg";
    static final String IPXE = "boot.ipxe";
    static final String RECORD = "promotion.json";

    private final MasterLayout layout;

    BootConfigStore(MasterLayout layout) {
        this.layout = layout;
    }

    static String generationName(long generation) {
        return String.format("g%06d", generation);
    }

    /** The live generation's record, or null when none was ever published. */
    PromotionRecord current() {
        Path current = layout.currentConfigs();
        if (!Files.isSymbolicLink(current)) {
            return null;
        }
        Path record = current.resolve(RECORD);
        try {
            return MasterJson.JSON.readValue(record.toFile(), PromotionRecord.class);
        } catch (JsonProcessingException e) {
            throw new RoclusterException(record + " is damaged (" + e.getOriginalMessage()
                    + "): run rocluster promote VERSION to publish fresh boot configs");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory name {@code configs/current} points at, or null. */
    String currentName() {
        try {
            Path current = layout.currentConfigs();
            return Files.isSymbolicLink(current) ? Files.readSymbolicLink(current).toString() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes generation {@code record.generation()} aside, syncs it, renames it into place and switches
     * {@code configs/current} to it (the commit point), then removes the generation it replaced.
     */
    void publish(PromotionRecord record, PxeConfigs configs) {
        String name = generationName(record.generation());
        Path dir = layout.configs().resolve(name);
        Path aside = Durable.asideName(dir, Durable.TMP_PREFIX);
        String previous = currentName();
        try {
            Files.createDirectory(aside);
            write(aside.resolve(PXELINUX), configs.pxelinux());
            write(aside.resolve(GRUB), configs.grub());
            write(aside.resolve(IPXE), configs.ipxe());
            write(aside.resolve(RECORD), MasterJson.JSON.writeValueAsString(record) + "\n");
            Durable.syncDirectory(aside);
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                // Left by a crash before its switch (recovery removes those): never live, safe to replace.
                FileTrees.delete(dir);
            }
            Durable.rename(aside, dir);
            CrashPoints.reach("configs-written");
            Durable.replaceSymlink(layout.currentConfigs(), Path.of(name));
            CrashPoints.reach("configs-switched");
            if (previous != null && !previous.equals(name)) {
                FileTrees.delete(layout.configs().resolve(previous));
            }
        } catch (IOException e) {
            FileTrees.deleteQuietly(aside);
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Durable.syncFile(file);
    }

    /** Creates the fixed entry symlinks firmware asks for, where missing. */
    void ensureEntryLinks() {
        link(layout.tftpboot().resolve("pxelinux.cfg").resolve("default"), Path.of("../configs/current/" + PXELINUX));
        link(layout.tftpboot().resolve("grub").resolve("grub.cfg"), Path.of("../configs/current/" + GRUB));
        link(layout.tftpboot().resolve("boot.ipxe"), Path.of("configs/current/" + IPXE));
    }

    /** Entry paths that are not rocluster's symlinks (someone replaced them): status warns about these. */
    List<Path> foreignEntries() {
        List<Path> out = new ArrayList<>();
        for (Path p : List.of(layout.tftpboot().resolve("pxelinux.cfg").resolve("default"),
                layout.tftpboot().resolve("grub").resolve("grub.cfg"), layout.tftpboot().resolve("boot.ipxe"))) {
            if (!Files.isSymbolicLink(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static void link(Path link, Path target) {
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Durable.ensureDirectory(link.getParent());
        Durable.replaceSymlink(link, target);
    }
}

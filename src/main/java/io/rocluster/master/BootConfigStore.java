package io.rocluster.master;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import io.rocluster.archive.FileTrees;
import io.rocluster.serving.MacAddress;
import io.rocluster.serving.PxeConfigRenderer;
import io.rocluster.serving.PxeConfigs;
import io.rocluster.serving.ServedConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

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
    /** Prefix of a grouped client's iPXE script in a generation. */
    static final String IPXE_CLIENT = "ipxe-";

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
        publish(record, new ServedConfigs(configs, Map.of()));
    }

    /**
     * The same with the menus of grouped clients: their files go into the generation beside the fallback
     * ones, and each gets a fixed entry symlink where its boot loader looks for it. A new client's links
     * are made before the switch (until then they dangle, and a loader that finds no file falls back to
     * the default menu, which is the old state); links of clients that no longer have a menu of their
     * own are removed after it.
     */
    void publish(PromotionRecord record, ServedConfigs configs) {
        String name = generationName(record.generation());
        Path dir = layout.configs().resolve(name);
        Path aside = Durable.asideName(dir, Durable.TMP_PREFIX);
        String previous = currentName();
        try {
            Files.createDirectory(aside);
            write(aside.resolve(PXELINUX), configs.fallback().pxelinux());
            write(aside.resolve(GRUB), configs.fallback().grub());
            write(aside.resolve(IPXE), configs.fallback().ipxe());
            for (Map.Entry<MacAddress, PxeConfigs> c : configs.perClient().entrySet()) {
                write(aside.resolve(PXELINUX + "-" + c.getKey().pxelinuxName()), c.getValue().pxelinux());
                write(aside.resolve(c.getKey().grubName()), c.getValue().grub());
                write(aside.resolve(IPXE_CLIENT + c.getKey().ipxeName()), c.getValue().ipxe());
            }
            write(aside.resolve(RECORD), MasterJson.JSON.writeValueAsString(record) + "\n");
            Durable.syncDirectory(aside);
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                // Left by a crash before its switch (recovery removes those): never live, safe to replace.
                FileTrees.delete(dir);
            }
            Durable.rename(aside, dir);
            CrashPoints.reach("configs-written");
            clientLinks(configs.perClient().keySet(), false);
            Durable.replaceSymlink(layout.currentConfigs(), Path.of(name));
            CrashPoints.reach("configs-switched");
            clientLinks(configs.perClient().keySet(), true);
            if (previous != null && !previous.equals(name)) {
                FileTrees.delete(layout.configs().resolve(previous));
            }
        } catch (IOException e) {
            FileTrees.deleteQuietly(aside);
            throw new UncheckedIOException(e);
        }
    }

    /** The MACs the live generation has menus for (from its file names). */
    Set<MacAddress> currentClientMacs() {
        Path current = layout.currentConfigs();
        Set<MacAddress> out = new TreeSet<>(java.util.Comparator.comparing(MacAddress::text));
        if (!Files.isDirectory(current)) {
            return out;
        }
        try (Stream<Path> s = Files.list(current)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(GRUB + "-01-")) {
                    out.add(MacAddress.parse(n.substring((GRUB + "-01-").length())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Makes the fixed per-client entry links for {@code macs}; with {@code prune}, also removes
     * rocluster's links for every other MAC (links that point into configs/current and are not in
     * {@code macs}). Someone else's files there are left alone.
     */
    void clientLinks(Set<MacAddress> macs, boolean prune) {
        for (MacAddress mac : macs) {
            for (ClientLink l : clientLinksOf(mac)) {
                link(l.link(), l.target());
            }
        }
        if (!prune) {
            return;
        }
        Set<Path> wanted = new java.util.HashSet<>();
        macs.forEach(m -> clientLinksOf(m).forEach(l -> wanted.add(l.link())));
        for (Path dir : List.of(layout.tftpboot().resolve("pxelinux.cfg"), layout.tftpboot().resolve("grub"),
                layout.tftpboot().resolve(PxeConfigRenderer.IPXE_CLIENT_DIR))) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    if (!wanted.contains(p) && Files.isSymbolicLink(p) && isClientLink(Files.readSymbolicLink(p))) {
                        Files.delete(p);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record ClientLink(Path link, Path target) {}

    /** Whether {@code target} is where rocluster points a client's entry link (never the fallback's). */
    private static boolean isClientLink(Path target) {
        String t = target.toString();
        return t.startsWith(CLIENT_LINK_PREFIX) && t.substring(CLIENT_LINK_PREFIX.length()).matches(
                "(" + PXELINUX + "-01-|grub\\.cfg-01-|" + IPXE_CLIENT + "01-)[0-9a-f-]+(\\.ipxe)?");
    }

    private static final String CLIENT_LINK_PREFIX = "../configs/current/";

    private List<ClientLink> clientLinksOf(MacAddress mac) {
        return List.of(
                new ClientLink(layout.tftpboot().resolve("pxelinux.cfg").resolve(mac.pxelinuxName()),
                        Path.of(CLIENT_LINK_PREFIX + PXELINUX + "-" + mac.pxelinuxName())),
                new ClientLink(layout.tftpboot().resolve("grub").resolve(mac.grubName()),
                        Path.of(CLIENT_LINK_PREFIX + mac.grubName())),
                new ClientLink(layout.tftpboot().resolve(PxeConfigRenderer.IPXE_CLIENT_DIR).resolve(mac.ipxeName()),
                        Path.of(CLIENT_LINK_PREFIX + IPXE_CLIENT + mac.ipxeName())));
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Durable.syncFile(file);
    }

    /** Creates the fixed entry symlinks firmware asks for, where missing, and the live clients' own. */
    void ensureEntryLinks() {
        clientLinks(currentClientMacs(), true);
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

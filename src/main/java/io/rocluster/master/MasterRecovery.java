package io.rocluster.master;

import io.rocluster.archive.Durable;
import io.rocluster.archive.FileTrees;
import io.rocluster.spec.ImageVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Brings a master back to a consistent state after a crash; run under the lock at the start of every
 * command, so whatever a killed deploy, promote or gc left behind is finished or undone before anything
 * else looks at the master.
 *
 * <ul>
 *   <li>Work in progress is dropped: {@code images/.incoming-*} (a deploy never renamed into place),
 *       {@code images/.trash-*} (a version gc had already taken out), {@code .tmp-*} files written aside,
 *       boot config generations that never became current, TFTP kernel directories of versions that
 *       are not (or no longer) deployed.</li>
 *   <li>A switch is rolled forward: once {@code tftpboot/configs/current} names a generation (the
 *       commit point), {@code active} is made to match it and its history line is appended if missing
 *       (after a torn last line is cut); configs rendered for other clients than clients.json lists
 *       are published again.</li>
 * </ul>
 */
final class MasterRecovery {

    private final MasterLayout layout;
    private final PrintStream notices;

    MasterRecovery(MasterLayout layout, PrintStream notices) {
        this.layout = layout;
        this.notices = notices;
    }

    void run() {
        try {
            BootConfigStore store = new BootConfigStore(layout);
            PromotionRecord current = store.current();
            removeHidden(layout.images(), ".incoming-", ".trash-", Durable.TMP_PREFIX);
            removeHidden(layout.tftpImages(), ".incoming-", Durable.TMP_PREFIX);
            removeHidden(layout.root(), Durable.TMP_PREFIX);
            removeHidden(layout.pins(), Durable.TMP_PREFIX);
            removeHidden(layout.configs(), Durable.TMP_PREFIX);
            removeStaleGenerations(store.currentName());
            removeOrphanKernels(current == null ? List.of() : current.menu());
            History history = new History(layout.history());
            if (history.repairTail()) {
                note("cut a history line left incomplete by an interrupted command");
            }
            if (current != null) {
                rollForward(current, history);
                republishForClients(current);
            }
            store.ensureEntryLinks();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void rollForward(PromotionRecord current, History history) throws IOException {
        String active = new Versions(layout).active();
        if (current.active() != null && !current.active().equals(active)) {
            Durable.replaceSymlink(layout.active(), Path.of("images", current.active()));
            note("finished an interrupted " + current.action() + ": active is now " + current.active());
        }
        if (current.switchesActive()) {
            HistoryEntry last = history.last();
            if (last == null || last.generation() != current.generation()) {
                history.append(current.historyEntry());
                note("recorded the interrupted " + current.action() + " of " + current.active() + " in history.jsonl");
            }
        }
    }

    /**
     * A client change writes clients.json, then publishes configs for it; a crash between the two leaves
     * configs rendered for the old assignment, which is finished here.
     */
    private void republishForClients(PromotionRecord current) {
        List<RegisteredClient> clients = ClientRegistry.read(layout);
        if (!ClientRegistry.grouped(clients).equals(current.clients())) {
            BootMenus.publish(layout, MasterConfig.read(layout.config()), "clients", null, current.active(),
                    BootMenus.Menus.of(current), "clients.json changed", clients);
            note("finished an interrupted client change: boot configs now follow clients.json");
        }
    }

    private void removeStaleGenerations(String currentName) throws IOException {
        if (!Files.isDirectory(layout.configs())) {
            return;
        }
        try (Stream<Path> s = Files.list(layout.configs())) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.matches("g\\d+") && !name.equals(currentName)) {
                    FileTrees.delete(p);
                }
            }
        }
    }

    private void removeOrphanKernels(List<String> menu) throws IOException {
        if (!Files.isDirectory(layout.tftpImages())) {
            return;
        }
        Versions versions = new Versions(layout);
        try (Stream<Path> s = Files.list(layout.tftpImages())) {
            for (Path p : s.toList()) {
                String v = p.getFileName().toString();
                if (ImageVersion.isValid(v) && !versions.isDeployed(v)) {
                    if (menu.contains(v)) {
                        note("warning: " + layout.image(v) + " is missing but the boot menu offers " + v
                                + "; run rocluster rollback or promote another version");
                    } else {
                        FileTrees.delete(p);
                    }
                }
            }
        }
    }

    private void removeHidden(Path dir, String... prefixes) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                for (String prefix : prefixes) {
                    if (name.startsWith(prefix)) {
                        FileTrees.delete(p);
                        if (!prefix.equals(Durable.TMP_PREFIX)) {
                            note("removed " + p + ", left by an interrupted command");
                        }
                        break;
                    }
                }
            }
        }
    }

    private void note(String message) {
        if (notices != null) {
            notices.println("rocluster: " + message);
        }
    }
}

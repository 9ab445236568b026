package io.rocluster.master;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import io.rocluster.serving.MacAddress;
import io.rocluster.spec.HostName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code clients.json}: the clients an operator registered, with the MAC their boot loader identifies
 * them by and their node group. Written whole (aside, synced, renamed) under the master lock; the boot
 * configs follow it in the next generation, and recovery republishes when a crash came between the two
 * (the generation records which grouped clients it was rendered for).
 */
final class ClientRegistry {

    /** The file's shape: a list, so the format can grow fields. */
    record File(List<RegisteredClient> clients) {}

    private ClientRegistry() {}

    /** The registered clients, sorted by name; empty when nobody registered one. */
    static List<RegisteredClient> read(MasterLayout layout) {
        Path file = layout.clients();
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        File f;
        try {
            f = MasterJson.JSON.readValue(file.toFile(), File.class);
        } catch (JsonProcessingException e) {
            throw damaged(file, e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<RegisteredClient> out = f == null || f.clients() == null ? List.of() : f.clients();
        // Everything in it becomes a file name or a config line: checked as if typed on the command line.
        Set<String> macs = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (RegisteredClient e : out) {
            if (e == null || e.fqdn() == null || !HostName.isValid(e.fqdn()) || !names.add(e.fqdn())) {
                throw damaged(file, "bad or repeated client name " + (e == null ? null : e.fqdn()));
            }
            if (e.mac() != null && (!e.mac().equals(canonical(e.mac())) || !macs.add(e.mac()))) {
                throw damaged(file, "bad or repeated MAC " + e.mac() + " of " + e.fqdn());
            }
            if (e.group() != null && (!Groups.normalise(e.group()).equals(e.group()) || e.mac() == null)) {
                throw damaged(file, "bad group of " + e.fqdn());
            }
        }
        return out.stream().sorted(Comparator.comparing(RegisteredClient::fqdn)).toList();
    }

    private static String canonical(String mac) {
        try {
            return MacAddress.parse(mac).text();
        } catch (RoclusterException e) {
            return null;
        }
    }

    private static RoclusterException damaged(Path file, String why) {
        return new RoclusterException(file + " is damaged (" + why + "): restore it from a backup, or fix the entry "
                + "by hand and run rocluster clients list");
    }

    static void write(MasterLayout layout, List<RegisteredClient> clients) {
        List<RegisteredClient> sorted = new ArrayList<>(clients);
        sorted.sort(Comparator.comparing(RegisteredClient::fqdn));
        try {
            Durable.writeString(layout.clients(), MasterJson.JSON.writeValueAsString(new File(sorted)) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The clients of node groups (not the default group): those whose boot menus are their group's. */
    static List<RegisteredClient> grouped(List<RegisteredClient> clients) {
        return clients.stream().filter(e -> e.group() != null).toList();
    }
}

package io.rocluster.master;

import io.rocluster.serving.BootImage;
import io.rocluster.serving.ClientMenu;
import io.rocluster.serving.MacAddress;
import io.rocluster.serving.PxeConfigRenderer;
import io.rocluster.serving.ServedConfigs;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Publishes a new boot menu generation for a master: every group's menu at once (its version first, then
 * its earlier versions as the console rollback path), the fallback menu being the default group's, and
 * one menu per client of a node group. Reads only the small deploy.json of each offered version, never a
 * manifest or an image tree, so its cost does not grow with image size.
 */
final class BootMenus {

    /**
     * What each group boots in a generation.
     *
     * @param fallback the default group's menu (everyone without a menu of their own), default first
     * @param groups   node groups that run a version of their own, each menu with that version first
     */
    record Menus(List<String> fallback, Map<String, List<String>> groups) {

        Menus {
            fallback = List.copyOf(fallback);
            groups = java.util.Collections.unmodifiableMap(new TreeMap<>(groups));
        }

        /** What {@code current} serves (nothing when no generation was published). */
        static Menus of(PromotionRecord current) {
            return current == null ? new Menus(List.of(), Map.of()) : new Menus(current.menu(), current.groups());
        }

        /** The same with {@code group}'s menu replaced. */
        Menus with(String group, List<String> menu) {
            if (Groups.isDefault(group)) {
                return new Menus(menu, groups);
            }
            Map<String, List<String>> g = new HashMap<>(groups);
            g.put(group, List.copyOf(menu));
            return new Menus(fallback, g);
        }

        /** The same without {@code removed} in any menu (gc never removes a group's own version). */
        Menus without(Set<String> removed) {
            Map<String, List<String>> g = new HashMap<>();
            groups.forEach((name, menu) -> {
                List<String> rest = menu.stream().filter(v -> !removed.contains(v)).toList();
                if (!rest.isEmpty()) {
                    g.put(name, rest);
                }
            });
            return new Menus(fallback.stream().filter(v -> !removed.contains(v)).toList(), g);
        }

        boolean offersAny(Set<String> versions) {
            return fallback.stream().anyMatch(versions::contains)
                    || groups.values().stream().flatMap(List::stream).anyMatch(versions::contains);
        }
    }

    private BootMenus() {}

    /**
     * Renders and publishes (the commit point), then returns the record published.
     *
     * @param group the group a promote or rollback switched (null: the default group, or no switch)
     * @param from  that group's version before the change
     */
    static PromotionRecord publish(MasterSession session, String action, String group, String from, Menus menus,
            String reason) {
        return publish(session.layout(), session.config(), action, group, from, menus, reason,
                ClientRegistry.read(session.layout()));
    }

    /** The same, for callers that hold the lock without a session (master init, recovery). */
    static PromotionRecord publish(MasterLayout layout, MasterConfig config, String action, String group,
            String from, Menus menus, String reason, List<RegisteredClient> clients) {
        BootConfigStore store = new BootConfigStore(layout);
        PromotionRecord current = store.current();
        long generation = current == null ? 1 : current.generation() + 1;
        List<RegisteredClient> grouped = ClientRegistry.grouped(clients);
        String active = menus.fallback().isEmpty() ? null : menus.fallback().get(0);
        PromotionRecord record = new PromotionRecord(generation, action, active, from, menus.fallback(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), HistoryEntry.currentUser(), reason,
                Groups.stored(group), menus.groups(), grouped);
        Map<String, BootImage> images = new HashMap<>();
        List<ClientMenu> clientMenus = new ArrayList<>();
        for (RegisteredClient c : grouped) {
            List<String> menu = menus.groups().get(c.group());
            if (menu != null && !menu.isEmpty()) {
                clientMenus.add(new ClientMenu(MacAddress.parse(c.mac()), c.fqdn(), c.group(), images(layout, menu, images)));
            }
        }
        String header = "generation " + generation + ", " + action
                + (record.activeOf(group) == null ? "" : " of " + record.activeOf(group))
                + (Groups.isDefault(group) ? "" : " to group " + group) + " by " + record.user() + " at " + record.time();
        ServedConfigs configs = PxeConfigRenderer.render(config.pxeSettings(), images(layout, menus.fallback(), images),
                header, clientMenus);
        store.publish(record, configs);
        return record;
    }

    private static List<BootImage> images(MasterLayout layout, List<String> menu, Map<String, BootImage> cache) {
        List<BootImage> out = new ArrayList<>();
        for (String v : menu) {
            out.add(cache.computeIfAbsent(v, k -> {
                DeployRecord d = DeployRecord.read(layout, k);
                return new BootImage(k, d.kernelCmdline(), d.nfsOptions());
            }));
        }
        return out;
    }
}

package io.rocluster.master;

import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import io.rocluster.archive.FileTrees;
import io.rocluster.serving.MacAddress;
import io.rocluster.spec.HostName;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The master's clients: each registered one (clients.json: its MAC, its node group) and its state
 * directory {@code state/<fqdn>/}. A diskless client mounts {@code CLIENTSTATE/$HOSTNAME} read-write at
 * boot (its statetab paths, e.g. /var/log, live there), and the mount fails if the directory does not
 * exist, so adding a client creates it. A client's MAC is how its boot loader finds a menu of its own, so
 * a client of a node group needs one; changing who is in a node group publishes new boot configs.
 */
public final class ClientsService {

    /**
     * One client.
     *
     * @param fqdn       the client's host name as DHCP gives it
     * @param mac        its MAC, or null when none was registered
     * @param group      its group ({@link Groups#DEFAULT} when it has none of its own)
     * @param registered false for a state directory nobody registered (made by an older rocluster, or kept
     *                   by {@code clients remove})
     * @param path       its state directory
     * @param stateKept  whether the state directory exists
     * @param bootsNext  the version it boots next (its group's), or null when nothing is promoted
     */
    public record Client(String fqdn, String mac, String group, boolean registered, Path path, boolean stateKept,
            String bootsNext) {}

    /**
     * The path a registered client's boot takes: the loader picks its own menu by MAC when its group runs
     * a version of its own, else the fallback (the default group's).
     *
     * @param fqdn         the client
     * @param mac          its MAC
     * @param group        its group
     * @param fallbackMenu the fallback menu, default first
     * @param ownMenu      its group's menu, or empty when it gets the fallback
     */
    public record BootPath(String fqdn, String mac, String group, List<String> fallbackMenu, List<String> ownMenu) {

        /** The version the client boots next, or null. */
        public String bootsNext() {
            List<String> menu = ownMenu.isEmpty() ? fallbackMenu : ownMenu;
            return menu.isEmpty() ? null : menu.get(0);
        }

        /** The group whose menu the client gets: its own, or {@link Groups#DEFAULT}. */
        public String servedBy() {
            return ownMenu.isEmpty() ? Groups.DEFAULT : group;
        }
    }

    private final MasterLayout layout;
    private final PrintStream notices;

    public ClientsService(MasterLayout layout, PrintStream notices) {
        this.layout = layout;
        this.notices = notices;
    }

    /** Checks a client's host name ({@link HostName}), with the fix a client needs. */
    public static String checkFqdn(String fqdn) {
        if (!HostName.isValid(fqdn)) {
            throw new RoclusterException("'" + fqdn + "' is not a host name: use the name DHCP gives the client, "
                    + "e.g. node01.cluster.example");
        }
        return fqdn;
    }

    /** Registers clients without a MAC, in the default group; returns those that were new. */
    public List<Client> add(List<String> fqdns) {
        return add(fqdns, null, null);
    }

    /**
     * Registers clients and creates their state directories; returns those that were new. A client
     * registered already is left as it is when nothing differs, and refused (use {@link #set}) otherwise.
     *
     * @param mac   the client's MAC (one client only), or null
     * @param group its node group (needs a MAC), or null for the default group
     */
    public List<Client> add(List<String> fqdns, String mac, String group) {
        fqdns.forEach(ClientsService::checkFqdn);
        MacAddress m = mac == null ? null : MacAddress.parse(mac);
        String g = Groups.stored(Groups.normalise(group));
        if (m != null && fqdns.size() != 1) {
            throw new RoclusterException("--mac names one client's card: add clients one at a time when giving a MAC");
        }
        if (g != null && m == null) {
            throw noMac(fqdns.get(0), g);
        }
        try (MasterSession s = MasterSession.open(layout, notices)) {
            List<RegisteredClient> registry = new ArrayList<>(ClientRegistry.read(layout));
            List<String> created = new ArrayList<>();
            for (String fqdn : fqdns) {
                RegisteredClient wanted = new RegisteredClient(fqdn, m == null ? null : m.text(), g);
                RegisteredClient existing = find(registry, fqdn);
                if (existing != null && !existing.equals(wanted) && (m != null || g != null)) {
                    throw new RoclusterException(fqdn + " is registered already (" + describe(existing) + "): change it "
                            + "with rocluster clients set " + fqdn + " --group NAME / --mac MAC");
                }
                if (existing == null) {
                    requireUniqueMac(registry, wanted);
                    registry.add(wanted);
                    created.add(fqdn);
                }
            }
            ensureStateDirectories(fqdns);
            commit(s, registry);
            return list(layout).stream().filter(c -> created.contains(c.fqdn())).toList();
        }
    }

    /**
     * Changes a registered client's group and/or MAC; a node group's clients get that group's menu from
     * the next boot on.
     *
     * @param group the new group ({@link Groups#DEFAULT} to leave its group), or null to keep it
     * @param mac   the new MAC, or null to keep it
     */
    public Client set(String fqdn, String group, String mac) {
        checkFqdn(fqdn);
        if (group == null && mac == null) {
            throw new RoclusterException("nothing to change: give --group NAME and/or --mac MAC");
        }
        try (MasterSession s = MasterSession.open(layout, notices)) {
            List<RegisteredClient> registry = new ArrayList<>(ClientRegistry.read(layout));
            RegisteredClient existing = requireRegistered(registry, fqdn);
            String m = mac == null ? existing.mac() : MacAddress.parse(mac).text();
            String g = group == null ? existing.group() : Groups.stored(Groups.normalise(group));
            if (g != null && m == null) {
                throw noMac(fqdn, g);
            }
            RegisteredClient wanted = new RegisteredClient(fqdn, m, g);
            registry.remove(existing);
            requireUniqueMac(registry, wanted);
            registry.add(wanted);
            commit(s, registry);
            return findClient(list(layout), fqdn);
        }
    }

    /**
     * Unregisters a client; its state directory is kept (its logs, its SSH keys) unless {@code purge}.
     * A state directory nobody registered can only be purged.
     */
    public Client remove(String fqdn, boolean purge) {
        checkFqdn(fqdn);
        try (MasterSession s = MasterSession.open(layout, notices)) {
            List<RegisteredClient> registry = new ArrayList<>(ClientRegistry.read(layout));
            RegisteredClient existing = find(registry, fqdn);
            Path state = layout.state().resolve(fqdn);
            boolean hasState = Files.isDirectory(state, LinkOption.NOFOLLOW_LINKS);
            if (existing == null && !(purge && hasState)) {
                throw new RoclusterException(hasState
                        ? fqdn + " is not registered, only its state directory " + state + " is there: use --purge to delete it"
                        : "no client " + fqdn + " on " + layout.root() + ": rocluster clients list shows the clients");
            }
            Client before = findClient(list(layout), fqdn);
            if (existing != null) {
                registry.remove(existing);
                commit(s, registry);
            }
            if (purge && hasState) {
                FileTrees.delete(state);
                Durable.syncDirectory(layout.state());
            }
            return before;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registered clients and unregistered state directories, sorted by name. */
    public List<Client> list() {
        try (MasterSession s = MasterSession.open(layout, notices)) {
            return list(layout);
        }
    }

    /** The boot path of registered client {@code fqdn}, which must have a MAC. */
    public BootPath bootPath(String fqdn) {
        checkFqdn(fqdn);
        try (MasterSession s = MasterSession.open(layout, notices)) {
            RegisteredClient c = requireRegistered(ClientRegistry.read(layout), fqdn);
            if (c.mac() == null) {
                throw new RoclusterException(fqdn + " has no MAC: its loader's menu is chosen by MAC; register it with "
                        + "rocluster clients set " + fqdn + " --mac MAC");
            }
            PromotionRecord current = s.configs().current();
            List<String> fallback = current == null ? List.of() : current.menu();
            List<String> own = current == null || c.group() == null ? List.of() : current.menuOf(c.group());
            return new BootPath(fqdn, c.mac(), c.groupName(), fallback, own);
        }
    }

    /** The registered client {@code fqdn}, or null. */
    public static RegisteredClient registered(MasterLayout layout, String fqdn) {
        return find(ClientRegistry.read(layout), fqdn);
    }

    /**
     * Creates the state directories that are missing (the boot test's client needs one without being
     * registered).
     */
    public void ensureStateDirectories(List<String> fqdns) {
        fqdns.forEach(ClientsService::checkFqdn);
        try {
            Durable.ensureDirectory(layout.state());
            for (String fqdn : fqdns) {
                Path dir = layout.state().resolve(fqdn);
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new RoclusterException(dir + " exists and is not a directory: remove it and add " + fqdn + " again");
                }
                // mkdir is atomic: the directory either exists whole (it is empty) or not at all.
                Files.createDirectory(dir);
                Durable.syncDirectory(layout.state());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The clients as {@link #list()} gives them, for a caller that holds the master already. */
    static List<Client> list(MasterLayout layout) {
        List<RegisteredClient> registry = ClientRegistry.read(layout);
        Versions versions = new Versions(layout);
        List<GroupState> groups = GroupState.all(new BootConfigStore(layout).current(), versions.active(),
                new History(layout.history()).recent(500), registry);
        Map<String, Client> out = new TreeMap<>();
        for (RegisteredClient c : registry) {
            Path dir = layout.state().resolve(c.fqdn());
            GroupState g = GroupState.find(groups, c.groupName());
            out.put(c.fqdn(), new Client(c.fqdn(), c.mac(), c.groupName(), true, dir, Files.isDirectory(dir),
                    g == null ? null : g.active()));
        }
        if (Files.isDirectory(layout.state())) {
            try (Stream<Path> dirs = Files.list(layout.state())) {
                for (Path p : dirs.sorted().toList()) {
                    String name = p.getFileName().toString();
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !out.containsKey(name) && HostName.isValid(name)) {
                        out.put(name, new Client(name, null, Groups.DEFAULT, false, p, true, versions.active()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(out.values());
    }

    /** Writes clients.json and, when a node group's membership or MACs changed, the boot configs. */
    private void commit(MasterSession s, List<RegisteredClient> registry) {
        List<RegisteredClient> before = ClientRegistry.read(layout);
        if (before.equals(registry.stream().sorted(java.util.Comparator.comparing(RegisteredClient::fqdn)).toList())) {
            return;
        }
        ClientRegistry.write(layout, registry);
        CrashPoints.reach("clients-written");
        PromotionRecord current = s.configs().current();
        List<RegisteredClient> now = ClientRegistry.read(layout);
        if (current != null && !ClientRegistry.grouped(now).equals(current.clients())) {
            BootMenus.publish(s, "clients", null, current.active(), BootMenus.Menus.of(current), "clients changed");
        }
    }

    private static RegisteredClient find(List<RegisteredClient> registry, String fqdn) {
        return registry.stream().filter(c -> c.fqdn().equals(fqdn)).findFirst().orElse(null);
    }

    static Client findClient(List<Client> clients, String fqdn) {
        return clients.stream().filter(c -> c.fqdn().equals(fqdn)).findFirst().orElse(null);
    }

    private RegisteredClient requireRegistered(List<RegisteredClient> registry, String fqdn) {
        RegisteredClient c = find(registry, fqdn);
        if (c == null) {
            throw new RoclusterException("no client " + fqdn + " is registered on " + layout.root()
                    + ": add it with rocluster clients add " + fqdn + " --mac MAC");
        }
        return c;
    }

    private static void requireUniqueMac(List<RegisteredClient> registry, RegisteredClient wanted) {
        if (wanted.mac() == null) {
            return;
        }
        for (RegisteredClient c : registry) {
            if (wanted.mac().equals(c.mac()) && !c.fqdn().equals(wanted.fqdn())) {
                throw new RoclusterException("MAC " + wanted.mac() + " belongs to " + c.fqdn() + " already: each card "
                        + "boots one client; check the address, or remove " + c.fqdn() + " first");
            }
        }
    }

    private static RoclusterException noMac(String fqdn, String group) {
        return new RoclusterException(fqdn + " needs a MAC to be in group " + group + ": its boot loader finds the "
                + "group's menu by MAC; give --mac MAC");
    }

    private static String describe(RegisteredClient c) {
        return (c.mac() == null ? "no MAC" : "MAC " + c.mac()) + ", group " + c.groupName();
    }
}

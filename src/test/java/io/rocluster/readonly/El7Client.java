package io.rocluster.readonly;

import io.rocluster.build.El7Fixture;
import io.rocluster.build.SourceTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Boots a client root of the CentOS 7 fixture as far as its read-only root service, in a container of the
 * fixture image (src/test/resources/io/rocluster/readonly/el7-client.sh, run as the fixture's README runs
 * rhel-readonly: {@code --cap-add SYS_ADMIN --security-opt apparmor=unconfined}, no {@code --privileged}):
 * the root bind-mounted and remounted read-only, a host directory at its STATE_MOUNT, the host name a DHCP
 * client would have. Each boot is a fresh container, so the RW area (a tmpfs) is new, and the state directory
 * is what a master keeps between boots.
 */
final class El7Client {

    /** The client's host name (the state area would be CLIENTSTATE/node1.cluster.test). */
    static final String HOSTNAME = "node1.cluster.test";

    /** Which read-only root service runs. */
    enum Service {
        /** The image's own /usr/lib/systemd/rhel-readonly (initscripts 9.49.53). */
        RHEL_READONLY("rhel-readonly"),
        /** rocluster's implementation, stages/debian12/files/usr/libexec/rocluster/readonly-root. */
        ROCLUSTER("rocluster");

        final String arg;

        Service(String arg) {
            this.arg = arg;
        }
    }

    /**
     * A mount: where, what type, which directory of that file system ({@code findmnt}'s FSROOT), and its
     * propagation ({@code shared}, or {@code private,slave} for a slave of a shared mount).
     */
    record Mount(String target, String fstype, String fsroot, String propagation) {}

    /**
     * What a boot showed.
     *
     * @param exit   the service's exit status
     * @param log    the service's output
     * @param before the mounts before it ran
     * @param mounts the mounts it made, in order
     * @param trees  per probed path, what the client sees there (sorted listing lines)
     * @param writes per probed path, "ok" or the error a write got
     */
    record Report(int exit, List<String> log, List<Mount> before, List<Mount> mounts, Map<String, List<String>> trees,
            Map<String, String> writes) {

        /** The mount made at {@code target} before the service (e.g. the state directory). */
        Mount before(String target) {
            return before.stream().filter(m -> m.target().equals(target)).findFirst().orElseThrow();
        }
    }

    private El7Client() {}

    /**
     * Boots {@code root} with {@code service}, {@code stateMount} backed by host directory {@code state}, and
     * runs the probes: {@code tree} for each of {@code trees}, then {@code write} for each of {@code writes}.
     */
    static Report boot(Service service, Path root, String stateMount, Path state, List<String> trees, List<String> writes)
            throws IOException {
        El7Fixture fixture = El7Fixture.get();
        Path scripts = Files.createTempDirectory("rocluster-el7-client-");
        try {
            copyResource("el7-client.sh", scripts.resolve("el7-client.sh"));
            Files.copy(SourceTree.locate().stages().resolve("debian12/files/usr/libexec/rocluster/readonly-root"),
                    scripts.resolve("readonly-root"));
            List<String> probes = new ArrayList<>();
            trees.forEach(p -> probes.add("tree " + p));
            writes.forEach(p -> probes.add("write " + p));
            Files.write(scripts.resolve("probes"), probes);
            El7Fixture.Docker.Run run = El7Fixture.Docker.container(120, List.of(
                    "--hostname", HOSTNAME, "--cap-add", "SYS_ADMIN", "--security-opt", "apparmor=unconfined",
                    "-v", root + ":/client", "-v", state + ":/client" + stateMount, "-v", scripts + ":/rocluster:ro"),
                    fixture.image(), "bash", "/rocluster/el7-client.sh", service.arg);
            if (run.code() != 0) {
                throw new IOException("the client container failed (exit " + run.code() + "): " + run.output());
            }
            return parse(run.lines());
        } finally {
            for (String f : List.of("el7-client.sh", "readonly-root", "probes")) {
                Files.deleteIfExists(scripts.resolve(f));
            }
            Files.deleteIfExists(scripts);
        }
    }

    private static Report parse(List<String> lines) throws IOException {
        int exit = -1;
        List<String> log = new ArrayList<>();
        List<Mount> before = new ArrayList<>();
        List<Mount> mounts = new ArrayList<>();
        Map<String, List<String>> trees = new LinkedHashMap<>();
        Map<String, String> writes = new LinkedHashMap<>();
        for (String l : lines) {
            String[] w = l.split(" ", -1);
            switch (w[0]) {
                case "exit" -> exit = Integer.parseInt(w[1]);
                case "log" -> log.add(l.substring(4));
                case "premount" -> before.add(new Mount(w[1], w[2], w[3], w[4]));
                case "mount" -> mounts.add(new Mount(w[1], w[2], w[3], w[4]));
                case "tree" -> trees.computeIfAbsent(w[1], k -> new ArrayList<>())
                        .add(String.join(" ", List.of(w).subList(2, w.length)));
                case "write" -> writes.put(w[1], l.substring(("write " + w[1] + " ").length()));
                default -> throw new IOException("unexpected line from the client container: " + l);
            }
        }
        trees.replaceAll((k, v) -> v.stream().sorted().toList());
        return new Report(exit, log, before, mounts, trees, writes);
    }

    private static void copyResource(String name, Path to) throws IOException {
        try (InputStream in = El7Client.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("test resource " + name + " missing");
            }
            Files.writeString(to, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static final Map<String, List<Report>> BOOTS = new HashMap<>();

    /**
     * Two boots of the applied example with {@code service} on one state directory (a first boot, then the
     * next), probing {@code trees} and {@code writes}; done once per JVM for each example and service.
     */
    static synchronized List<Report> twoBoots(String example, Service service, List<String> trees, List<String> writes)
            throws IOException {
        String key = example + " " + service;
        List<Report> boots = BOOTS.get(key);
        if (boots == null) {
            El7Fixture.Applied a = applied(example);
            String stateMount = io.rocluster.spec.SpecLoader.load(a.spec()).readonly().stateMount();
            Path state = Files.createTempDirectory(a.root().getParent(), "state-" + service.arg + "-");
            boots = List.of(boot(service, a.root(), stateMount, state, trees, writes),
                    boot(service, a.root(), stateMount, state, trees, writes));
            BOOTS.put(key, boots);
            STATES.put(key, state);
        }
        return boots;
    }

    private static final Map<String, Path> STATES = new HashMap<>();

    /** The el7 example with slaveMounts: false. */
    static final String SHARED_BINDS = "el7-shared-binds";

    /**
     * The configurations booted: the el7 examples, and the diskless one with {@code slaveMounts: false}
     * (SLAVE_MOUNTS=no: binds that stay shared).
     */
    static final List<String> CONFIGURATIONS = List.of("el7", "el7-diskful", SHARED_BINDS);

    /** {@link #CONFIGURATIONS}, for parameterized tests. */
    static List<String> configurations() {
        return CONFIGURATIONS;
    }

    /** The applied root of configuration {@code name}. */
    static El7Fixture.Applied applied(String name) throws IOException {
        if (name.equals(SHARED_BINDS)) {
            return El7Fixture.get().applied(name, Path.of("examples/el7.yaml"),
                    yaml -> yaml.replace("slaveMounts: true", "slaveMounts: false"));
        }
        return El7Fixture.get().applied(name);
    }

    /** The state directory of {@link #twoBoots}. */
    static synchronized Path state(String example, Service service) {
        return STATES.get(example + " " + service);
    }
}

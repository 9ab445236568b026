package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.archive.FileTrees;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.TestArtefacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs {@code rocluster deploy} and {@code rocluster promote} (separate processes, the packaged jar)
 * at random moments, dozens of times, and checks after each: the boot configs are the old or the new
 * generation, never a mix (read before anything repairs them); then list, verify, promote and the next
 * deploy work; the version a killed deploy was writing is absent or complete (verify passes); nothing
 * is left behind. Three trials in four kill at a crash point (ROCLUSTER_CRASH_PAUSE_MS makes the process
 * announce and pause at each boundary between durable steps) or a random moment after it, so kills
 * land at every step whatever the machine's speed; the rest kill at a random time after start.
 */
class MasterCrashIT {

    private static final int DEPLOY_TRIALS = 24;
    private static final int PROMOTE_TRIALS = 40;

    @TempDir
    Path tmp;

    Path work;
    MasterLayout layout;
    String m;
    ArtefactDirectory v09;
    ArtefactDirectory v10;
    ArtefactDirectory v20;
    final Random random = new Random(20261125);

    @BeforeEach
    void setUp() throws Exception {
        work = Path.of("").toAbsolutePath();
        layout = new MasterLayout(tmp.resolve("master"));
        m = layout.root().toString();
        Path tree = TestArtefacts.tree(tmp.resolve("tree"), Map.of());
        TestArtefacts.bulk(tree, 1500, 0, 0);
        Path store = tmp.resolve("output");
        v09 = TestArtefacts.artefact(store, "0.9", tree);
        TestArtefacts.bulk(tree, 1500, 40, 1);
        v10 = TestArtefacts.artefact(store, "1.0", tree);
        TestArtefacts.bulk(tree, 1500, 80, 2);
        v20 = TestArtefacts.artefact(store, "2.0", tree);
        cli("master", "init", "--master", m, "--server", "10.0.2.2", "--clients", "10.0.2.0/24");
        cli("deploy", "--master", m, v09.dir().toString());
        cli("deploy", "--master", m, v10.dir().toString());
        cli("promote", "--master", m, "0.9");
        cli("promote", "--master", m, "1.0");
    }

    @AfterEach
    void cleanUp() throws Exception {
        FileTrees.delete(tmp);
        Files.createDirectory(tmp);
    }

    private CliProcess.Run cli(String... args) throws Exception {
        return CliProcess.run(work, args).requireOk();
    }

    private static final int PAUSE_MS = 100;

    /**
     * Where a trial kills: at a named crash point plus a delay (the process pauses {@value #PAUSE_MS} ms at
     * each point, so a short delay lands at that boundary and a longer one in the step after it), or, with
     * a null point, a random time after start (no pauses) to cover start-up and the checks.
     */
    private record Kill(String point, long delayMs) {}

    private Kill pick(int trial, List<String> points, long longDelayAfterFirstPoint) {
        if (trial % 4 == 0) {
            return new Kill(null, random.nextInt(4000));
        }
        String point = points.get(random.nextInt(points.size()));
        long delay = point.equals(points.get(0)) && longDelayAfterFirstPoint > 0
                ? random.nextInt((int) longDelayAfterFirstPoint) : random.nextInt(PAUSE_MS * 3 / 2);
        return new Kill(point, delay);
    }

    /** Runs a command and SIGKILLs it as {@code kill} says; returns its exit code, or -1 if it was killed. */
    private int run(Kill kill, Path log, String... args) throws Exception {
        Map<String, String> env = kill.point() == null ? Map.of() : Map.of("ROCLUSTER_CRASH_PAUSE_MS", "" + PAUSE_MS);
        Process p = CliProcess.builder(work, env, args).redirectOutput(log.toFile()).start();
        java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream()))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.equals("rocluster: crash point " + kill.point())) {
                        reached.countDown();
                    }
                }
            } catch (java.io.IOException ignored) {
                // The process died: its stderr closed.
            }
        });
        reader.start();
        if (kill.point() == null) {
            if (p.waitFor(kill.delayMs(), TimeUnit.MILLISECONDS)) {
                reader.join();
                return p.exitValue();
            }
        } else {
            while (!reached.await(10, TimeUnit.MILLISECONDS)) {
                if (!p.isAlive()) {
                    reader.join();
                    return p.exitValue();
                }
            }
            if (p.waitFor(kill.delayMs(), TimeUnit.MILLISECONDS)) {
                reader.join();
                return p.exitValue();
            }
        }
        p.destroyForcibly(); // SIGKILL
        p.waitFor();
        reader.join();
        return -1;
    }

    @Test
    void killedDeploysLeaveTheVersionAbsentOrComplete() throws Exception {
        List<String> points = List.of("checked", "locked", "root-unpacked", "tftp-linked");
        int killed = 0;
        int absent = 0;
        int complete = 0;
        int cleaned = 0;
        for (int trial = 0; trial < DEPLOY_TRIALS; trial++) {
            // After "checked" the rootfs is unpacked: a long delay lands anywhere in the extraction.
            Kill kill = pick(trial, points, 3000);
            Path log = tmp.resolve("deploy-" + trial + ".log");
            // Each trial's deploy is also "the next deploy" after the previous trial's kill.
            int code = run(kill, log, "deploy", "--master", m, v20.dir().toString());
            if (code == -1) {
                killed++;
            } else {
                assertThat(code).as(Files.readString(log)).isZero();
            }
            // Right after the kill, before any repair: clients see a whole menu.
            MasterInvariants.bootConfigsConsistent(layout, List.of("1.0"));
            CliProcess.Run list = cli("list", "--master", m, "--json");
            if (list.err().contains("left by an interrupted command")) {
                cleaned++;
            }
            MasterInvariants.recovered(layout);
            if (new Versions(layout).isDeployed("2.0")) {
                complete++;
                assertThat(list.out()).contains("\"version\" : \"2.0\"");
                cli("verify", "--master", m, "2.0");
                cli("gc", "--master", m, "--keep", "0");
            } else {
                absent++;
                assertThat(layout.tftpImage("2.0")).doesNotExist();
            }
            if (trial % 4 == 3) {
                cli("promote", "--master", m, "0.9");
                cli("promote", "--master", m, "1.0");
            }
        }
        cli("deploy", "--master", m, v20.dir().toString());
        cli("verify", "--master", m, "2.0");
        MasterInvariants.recovered(layout);
        System.out.printf("deploy crash trials: %d, killed %d, version absent after %d, complete after %d, "
                + "stale incoming cleaned by the next command %d%n", DEPLOY_TRIALS, killed, absent, complete, cleaned);
        assertThat(killed).as("trials that really killed a deploy").isGreaterThan(DEPLOY_TRIALS / 2);
        assertThat(cleaned).as("kills that left an incoming directory for the next command").isPositive();
    }

    @Test
    void killedPromotesLeaveTheOldOrTheNewState() throws Exception {
        cli("deploy", "--master", m, v20.dir().toString());
        List<String> points = List.of("locked", "configs-written", "configs-switched", "active-switched");
        List<String> versions = List.of("0.9", "1.0", "2.0");
        int killed = 0;
        int old = 0;
        int switched = 0;
        int rolledForward = 0;
        for (int trial = 0; trial < PROMOTE_TRIALS; trial++) {
            Kill kill = pick(trial, points, 0);
            String before = new Versions(layout).active();
            int historyBefore = new History(layout.history()).read().size();
            String target = versions.get((versions.indexOf(before) + 1 + random.nextInt(2)) % 3);
            boolean rollback = trial % 5 == 4;
            Path log = tmp.resolve("promote-" + trial + ".log");
            String[] args = rollback ? new String[] {"rollback", "--master", m, "--to", target, "--reason", "trial " + trial}
                    : new String[] {"promote", "--master", m, target, "--reason", "trial " + trial};
            int code = run(kill, log, args);
            if (code == -1) {
                killed++;
            } else {
                assertThat(code).as(Files.readString(log)).isZero();
            }
            MasterInvariants.Header seen = MasterInvariants.bootConfigsConsistent(layout, List.of(before, target));
            CliProcess.Run status = cli("status", "--master", m);
            if (status.err().contains("finished an interrupted")) {
                rolledForward++;
            }
            MasterInvariants.recovered(layout);
            String after = new Versions(layout).active();
            assertThat(after).isEqualTo(seen.active());
            List<HistoryEntry> h = new History(layout.history()).read();
            if (after.equals(before)) {
                old++;
                assertThat(h).hasSize(historyBefore);
            } else {
                switched++;
                assertThat(after).isEqualTo(target);
                assertThat(h).hasSize(historyBefore + 1);
                HistoryEntry last = h.get(h.size() - 1);
                assertThat(last.from()).isEqualTo(before);
                assertThat(last.reason()).isEqualTo("trial " + trial);
                assertThat(last.action()).isEqualTo(rollback ? "rollback" : "promote");
            }
            assertThat(status.out()).contains("active:    " + after);
            if (trial % 8 == 7) {
                cli("list", "--master", m);
                cli("verify", "--master", m, after);
            }
        }
        // The master still works end to end.
        cli("promote", "--master", m, "1.0");
        cli("rollback", "--master", m);
        MasterInvariants.recovered(layout);
        System.out.printf("promote crash trials: %d, killed %d, old state %d, new state %d, rolled forward by the "
                + "next command %d%n", PROMOTE_TRIALS, killed, old, switched, rolledForward);
        assertThat(killed).as("trials that really killed a promote").isGreaterThan(PROMOTE_TRIALS / 4);
        assertThat(old).isPositive();
        assertThat(switched).isPositive();
        assertThat(rolledForward).as("kills between the config switch and the history line").isPositive();
    }

    /**
     * Promotes and rollbacks of a canary group and of the default group, killed anywhere: every one of the
     * six configs a client can be served (the fallback pxelinux, GRUB and iPXE files and the canary
     * client's own three) always comes from one generation, so each group is wholly in its old or wholly
     * in its new state; the next command finishes the switch.
     */
    @Test
    void killedGroupPromotesLeaveEveryGroupInItsOldOrItsNewState() throws Exception {
        cli("deploy", "--master", m, v20.dir().toString());
        cli("clients", "add", "--master", m, "node01.example");
        cli("clients", "add", "--master", m, "node07.example", "--mac", "52:54:00:00:00:07", "--group", "canary");
        List<String> points = List.of("locked", "configs-written", "configs-switched", "active-switched");
        List<String> versions = List.of("0.9", "1.0", "2.0");
        String mac = "01-52-54-00-00-00-07";
        int killed = 0;
        int old = 0;
        int switched = 0;
        for (int trial = 0; trial < PROMOTE_TRIALS; trial++) {
            Kill kill = pick(trial, points, 0);
            boolean canary = trial % 3 != 2;
            String group = canary ? "canary" : "default";
            String before = groupVersion(group);
            String otherBefore = groupVersion(canary ? "default" : "canary");
            String target = versions.get((versions.indexOf(before) + 1 + random.nextInt(2)) % 3);
            boolean rollback = trial % 5 == 4;
            Path log = tmp.resolve("group-" + trial + ".log");
            String[] args = rollback
                    ? new String[] {"rollback", "--master", m, "--group", group, "--to", target, "--reason", "trial " + trial}
                    : new String[] {"promote", "--master", m, "--group", group, target, "--reason", "trial " + trial};
            int code = run(kill, log, args);
            if (code == -1) {
                killed++;
            } else {
                assertThat(code).as(Files.readString(log)).isZero();
            }
            // As a loader would read them, before any repair: one generation for all six files.
            Path tftp = layout.tftpboot();
            MasterInvariants.Header fallback = MasterInvariants.bootConfigsConsistent(layout, versions);
            Path own = tftp.resolve("pxelinux.cfg/" + mac);
            if (Files.exists(own)) {
                for (Path p : List.of(own, tftp.resolve("grub/grub.cfg-" + mac), tftp.resolve("ipxe/" + mac + ".ipxe"))) {
                    assertThat(MasterInvariants.header(p).generation()).as(p + " vs the fallback configs")
                            .isEqualTo(fallback.generation());
                }
            }
            String canarySees = Files.exists(own) ? MasterInvariants.header(own).active() : fallback.active();
            cli("status", "--master", m);
            MasterInvariants.recovered(layout);
            String after = groupVersion(group);
            assertThat(groupVersion(canary ? "default" : "canary")).as("the other group is untouched")
                    .isEqualTo(otherBefore);
            assertThat(canarySees).as("what the canary client was served").isEqualTo(groupVersion("canary"));
            if (after.equals(before)) {
                old++;
            } else {
                switched++;
                assertThat(after).isEqualTo(target);
                HistoryEntry last = new History(layout.history()).last();
                assertThat(last.groupName()).isEqualTo(group);
                assertThat(last.reason()).isEqualTo("trial " + trial);
            }
        }
        System.out.printf("group promote crash trials: %d, killed %d, old state %d, new state %d%n", PROMOTE_TRIALS,
                killed, old, switched);
        assertThat(killed).as("trials that really killed a switch").isGreaterThan(PROMOTE_TRIALS / 4);
        assertThat(old).isPositive();
        assertThat(switched).isPositive();
    }

    /** The version {@code group}'s clients boot next, from status --json (which recovers first). */
    private String groupVersion(String group) throws Exception {
        com.fasterxml.jackson.databind.JsonNode s = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(cli("status", "--master", m, "--json").out());
        for (com.fasterxml.jackson.databind.JsonNode g : s.path("groups")) {
            if (g.path("name").asText().equals(group)) {
                return g.path("active").asText();
            }
        }
        throw new AssertionError("no group " + group + " in " + s);
    }
}

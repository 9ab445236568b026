package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.archive.FileTrees;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.TestArtefacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Separate {@code rocluster} processes racing on one master: promotes (and rollbacks) at once are
 * serialised by the lock, none is lost, and history is one consistent chain; two deploys at once both
 * complete.
 */
class MasterConcurrencyIT {

    private static final int PROMOTES = 16;

    @TempDir
    Path tmp;

    private final Path work = Path.of("").toAbsolutePath();
    private MasterLayout layout;

    /** A master made with {@code rocluster master init} at tmp/master; returns its path. */
    private String newMaster() throws Exception {
        layout = new MasterLayout(tmp.resolve("master"));
        String m = layout.root().toString();
        CliProcess.run(work, "master", "init", "--master", m, "--server", "10.0.2.2", "--clients", "10.0.2.0/24").requireOk();
        return m;
    }

    @AfterEach
    void cleanUp() throws Exception {
        FileTrees.delete(tmp);
        Files.createDirectory(tmp);
    }

    /**
     * Someone else writes to the artefact while it deploys (a build host still copying, a second copy landing):
     * a file replaced after deploy checked it is refused as it is installed, and the master stays as it was. The
     * deploy pauses at its crash point "checked" (after every check, before anything is written) while the test
     * replaces the kernel with other bytes of the same size.
     */
    @Test
    void anArtefactFileReplacedAfterTheChecksIsRefused() throws Exception {
        String m = newMaster();
        Path tree = TestArtefacts.tree(tmp.resolve("tree"), Map.of());
        ArtefactDirectory a = TestArtefacts.artefact(tmp.resolve("output"), "1.0", tree);
        String before = TreeHash.of(layout.root());

        Process p = CliProcess.builder(work, Map.of("ROCLUSTER_CRASH_PAUSE_MS", "3000"), "deploy", "--master", m,
                a.dir().toString()).redirectOutput(tmp.resolve("out.log").toFile()).start();
        List<String> err = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch checked = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream()))) {
                for (String line; (line = r.readLine()) != null; ) {
                    err.add(line);
                    if (line.equals("rocluster: crash point checked")) {
                        checked.countDown();
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        assertThat(checked.await(2, TimeUnit.MINUTES)).as("reached the point after the checks: " + err).isTrue();
        byte[] kernel = Files.readAllBytes(a.vmlinuz());
        kernel[kernel.length / 2] ^= 1;
        Path replacement = Files.write(tmp.resolve("vmlinuz.new"), kernel);
        Files.move(replacement, a.vmlinuz(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        reader.join();

        assertThat(p.exitValue()).as(String.join("\n", err)).isEqualTo(1);
        assertThat(err).anyMatch(l -> l.startsWith("rocluster: artefact ") && l.contains(
                "vmlinuz changed while it was being deployed (it no longer matches SHA256SUMS): nothing was deployed"));
        assertThat(TreeHash.of(layout.root())).as("the master after the refused deploy").isEqualTo(before);
    }

    @Test
    void parallelPromotesAndDeploysAreSerialisedAndNoneIsLost() throws Exception {
        String m = newMaster();
        Path tree = TestArtefacts.tree(tmp.resolve("tree"), Map.of());
        TestArtefacts.bulk(tree, 300, 0, 0);
        Path store = tmp.resolve("output");
        List<ArtefactDirectory> artefacts = new ArrayList<>();
        for (int v = 1; v <= 4; v++) {
            TestArtefacts.bulk(tree, 300, 20, v);
            artefacts.add(TestArtefacts.artefact(store, v + ".0", tree));
        }

        // Two deploys at once: both complete, whole.
        Process d1 = CliProcess.start(work, Map.of(), tmp.resolve("d1.log"), "deploy", "--master", m,
                artefacts.get(0).dir().toString());
        Process d2 = CliProcess.start(work, Map.of(), tmp.resolve("d2.log"), "deploy", "--master", m,
                artefacts.get(1).dir().toString());
        assertThat(d1.waitFor(5, TimeUnit.MINUTES) && d2.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(d1.exitValue()).as(Files.readString(tmp.resolve("d1.log"))).isZero();
        assertThat(d2.exitValue()).as(Files.readString(tmp.resolve("d2.log"))).isZero();
        for (int v = 3; v <= 4; v++) {
            CliProcess.run(work, "deploy", "--master", m, artefacts.get(v - 1).dir().toString()).requireOk();
        }
        for (String v : List.of("1.0", "2.0", "3.0", "4.0")) {
            CliProcess.run(work, "verify", "--master", m, v).requireOk();
        }

        // Many promotes and rollbacks at once, each with its own reason.
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < PROMOTES; i++) {
            String v = (i % 4 + 1) + ".0";
            String[] args = i % 5 == 4
                    ? new String[] {"rollback", "--master", m, "--to", v, "--reason", "racer " + i}
                    : new String[] {"promote", "--master", m, v, "--reason", "racer " + i};
            ps.add(CliProcess.start(work, Map.of(), tmp.resolve("p" + i + ".log"), args));
        }
        int switched = 0;
        int noop = 0;
        List<String> switchedReasons = new ArrayList<>();
        for (int i = 0; i < PROMOTES; i++) {
            Process p = ps.get(i);
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
            String log = Files.readString(tmp.resolve("p" + i + ".log"));
            assertThat(p.exitValue()).as(log).isZero();
            if (log.contains("already active")) {
                noop++;
            } else {
                assertThat(log).containsAnyOf("promoted ", "rolled back to ");
                switched++;
                switchedReasons.add("racer " + i);
            }
        }
        List<HistoryEntry> h = new History(layout.history()).read();
        // None lost: every switch that said it happened is in history, exactly once.
        assertThat(h).extracting(HistoryEntry::reason).containsExactlyInAnyOrderElementsOf(switchedReasons);
        assertThat(switched + noop).isEqualTo(PROMOTES);
        MasterInvariants.recovered(layout);
        MasterInvariants.bootConfigsConsistent(layout, List.of(h.get(h.size() - 1).to()));
        System.out.printf("parallel promotes: %d processes, %d switches in history, %d found their version active%n",
                PROMOTES, switched, noop);
    }
}

package io.rocluster.readonly;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From spec to boot-time mounts without a machine: the rendered stage input is applied to a small debian12
 * root by the build's real {@code readonly_stage}, then rocluster's Debian readonly-root
 * ({@code stages/debian12/files/…/readonly-root}) runs on that root in its dry-run mode, which prints each
 * mount instead of mounting. Proves the consumers read the rendered files as meant: the tmpfs with
 * RW_OPTIONS, a bind for every rwtab path (all exist, thanks to the plan), the state area from CLIENTSTATE,
 * statetab seeded and bound.
 */
class ReadonlyRootContractTest {

    @TempDir
    Path tmp;

    @Test
    void debian12ExampleMountsWhatItsSpecSays() throws Exception {
        ImageSpec spec = SpecLoader.load(Path.of("examples/debian12.yaml"));
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("var/log"));
        Files.writeString(root.resolve("var/log/dpkg.log"), "installed\n");
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/localtime"), Path.of("/usr/share/zoneinfo/Etc/UTC"));
        Files.createSymbolicLink(root.resolve("var/lock"), Path.of("/run/lock"));
        Path stage = tmp.resolve("stage");
        ReadOnlyConfig.of(spec).writeTo(stage);

        run(Map.of("ROOT", root.toString(), "STAGE", stage.toString(), "OUT", tmp.resolve("out").toString()),
                "sh", "-euc", ". stages/mounts.sh; . stages/readonly-plan.sh; readonly_stage");
        String boot = run(Map.of("ROCLUSTER_RO_PREFIX", root.toString(), "ROCLUSTER_RO_CMDLINE", "ro",
                        "ROCLUSTER_RO_HOSTNAME", "node1.cluster", "ROCLUSTER_RO_DRYRUN", "1"),
                "bash", "stages/debian12/files/usr/libexec/rocluster/readonly-root");

        List<String> expected = new ArrayList<>();
        expected.add("mount -n -t tmpfs -o size=256m none /var/lib/stateless/writable");
        List<String> rwtab = new ArrayList<>(spec.rwtab().dirs());
        rwtab.addAll(spec.rwtab().empty());
        rwtab.addAll(spec.rwtab().files());
        rwtab.forEach(p -> expected.add("mount -n --bind --make-slave /var/lib/stateless/writable" + p + " " + p));
        expected.add("mount -t nfs 10.0.2.2:/data/cluster/state/node1.cluster /var/lib/stateless/state -o rw,nolock");
        spec.statetab().forEach(p -> expected.add("mount -n --bind --make-slave /var/lib/stateless/state" + p + " " + p));
        assertThat(boot.lines().filter(l -> l.startsWith("mount ")).toList()).containsExactlyElementsOf(expected);
        assertThat(root.resolve("var/lib/stateless/state/var/log/dpkg.log")).hasContent("installed");
    }

    private String run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(tmp, "log", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}

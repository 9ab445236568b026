package io.rocluster.readonly;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.build.El7Fixture;
import io.rocluster.readonly.DiskLayout.Role;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The el7 diskful configuration against the CentOS 7 code that reads it (the real initscripts 9.49.53
 * {@code /usr/lib/systemd/rhel-readonly} and its stock {@code /etc/sysconfig/readonly-root}, from the el7
 * fixture, found by {@link El7Fixture}). rhel-readonly cannot run here with labelled block devices (no loop devices, no privileged
 * containers), so what is run is its own two label lookups, word for word, with the rendered file sourced
 * as it sources it and {@code blkid} recording what it is asked: the labels it looks for are the ones the
 * disk layout's mke2fs writes, no stock setting survives, and the NFS state branch stays off.
 */
class El7DiskfulConfigTest {

    private static final Pattern ASSIGNMENT = Pattern.compile("(?m)^([A-Z_]+)=");

    @TempDir
    Path tmp;

    private Path rhelReadonly;
    private Path stockSettings;

    @BeforeEach
    void fixture() throws Exception {
        Path tarball = El7Fixture.get().directory().resolve("centos-7.9-userland.tar.xz");
        Path root = Files.createDirectories(tmp.resolve("el7"));
        run(List.of("tar", "-xJf", tarball.toString(), "-C", root.toString(),
                "usr/lib/systemd/rhel-readonly", "etc/sysconfig/readonly-root"));
        rhelReadonly = root.resolve("usr/lib/systemd/rhel-readonly");
        stockSettings = root.resolve("etc/sysconfig/readonly-root");
    }

    @Test
    void rhelReadonlyLooksUpTheLabelsTheDiskLayoutWritesAndNoStockSettingSurvives() throws Exception {
        ImageSpec spec = SpecLoader.load(Path.of("examples/el7-diskful.yaml"));
        ReadOnlyConfig config = ReadOnlyConfig.of(spec);
        Path rendered = Files.writeString(tmp.resolve("readonly-root"),
                config.file("/etc/sysconfig/readonly-root").orElseThrow().content());
        DiskLayout layout = DiskLayout.of(spec, DiskLayout.DEFAULT_RW, 0);

        // Every setting CentOS ships is set by the rendered file, so none falls back to the stock value.
        Set<String> stock = names(Files.readString(stockSettings));
        assertThat(stock).contains("RW_LABEL", "STATE_LABEL", "CLIENTSTATE", "RW_MOUNT", "STATE_MOUNT");
        assertThat(names(Files.readString(rendered))).containsAll(stock);

        // rhel-readonly's own lookups, verbatim.
        String script = Files.readString(rhelReadonly);
        List<String> lookups = script.lines().map(String::strip)
                .filter(l -> l.matches("(rw|state)_mount_dev=\\$\\(blkid .*\\)")).toList();
        assertThat(lookups).containsExactly("rw_mount_dev=$(blkid -t LABEL=\"$RW_LABEL\" -l -o device)",
                "state_mount_dev=$(blkid -t LABEL=\"$STATE_LABEL\" -l -o device)");
        Path probe = tmp.resolve("probe.sh");
        Files.writeString(probe, String.join("\n",
                "blkid() { printf 'blkid %s\\n' \"$*\"; }",
                ". " + rendered,
                "echo \"$(" + lookups.get(0).substring(lookups.get(0).indexOf("$(") + 2, lookups.get(0).length() - 1) + ")\"",
                "echo \"$(" + lookups.get(1).substring(lookups.get(1).indexOf("$(") + 2, lookups.get(1).length() - 1) + ")\"",
                "printf 'READONLY=%s CLIENTSTATE=[%s] RW_MOUNT=%s STATE_MOUNT=%s\\n' \"$READONLY\" \"$CLIENTSTATE\" "
                        + "\"$RW_MOUNT\" \"$STATE_MOUNT\"") + "\n");
        String out = run(List.of("bash", probe.toString()));

        DiskLayout.Partition rw = layout.partition(Role.RW);
        DiskLayout.Partition state = layout.partition(Role.STATE);
        assertThat(out.lines().toList()).containsExactly(
                "blkid -t LABEL=" + rw.label() + " -l -o device",
                "blkid -t LABEL=" + state.label() + " -l -o device",
                "READONLY=yes CLIENTSTATE=[] RW_MOUNT=" + rw.mountPoint() + " STATE_MOUNT=" + state.mountPoint());
        // ...and those are the labels the administrator's script gives the file systems.
        assertThat(layout.adminScript()).contains("mke2fs -t ext4 -L " + rw.label() + " \"$(part 1)\"",
                "mke2fs -t ext4 -L " + state.label() + " \"$(part 2)\"");
        // A labelled RW area is wiped at every boot (rm -rf once mounted), which the diskful boot test checks on debian12.
        assertThat(script).contains("elif [ x$rw_mount_dev != x ] && mount $rw_mount_dev $mountopts \"$RW_MOUNT\" > /dev/null 2>&1; then\n"
                + "\t\trm -rf \"$RW_MOUNT\"");
    }

    private static Set<String> names(String shell) {
        Matcher m = ASSIGNMENT.matcher(shell);
        Set<String> out = new TreeSet<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private String run(List<String> cmd) throws IOException, InterruptedException {
        Path log = Files.createTempFile(tmp, "out", ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }
}

package io.rocluster.nightly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nightly job's systemd units, checked by systemd's own verifier. */
class NightlyUnitsTest {

    @TempDir
    Path tmp;

    @Test
    void unitsPassSystemdAnalyzeVerify() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze not installed");
        NightlyUnits units = NightlyUnits.forThisInstallation(Path.of("examples/debian12.yaml"), Path.of("/data/cluster"),
                "Mon..Fri *-*-* 03:15");
        units.writeTo(tmp);

        Process p = new ProcessBuilder("systemd-analyze", "verify", "--man=no",
                tmp.resolve(NightlyUnits.SERVICE).toString(), tmp.resolve(NightlyUnits.TIMER).toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("systemd-analyze says nothing about good units").isBlank();
    }

    @Test
    void verifierCatchesABadCalendarExpression() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze not installed");
        NightlyUnits units = NightlyUnits.forThisInstallation(null, Path.of("/m"), "every night");
        units.writeTo(tmp);

        Process p = new ProcessBuilder("systemd-analyze", "verify", "--man=no", tmp.resolve(NightlyUnits.TIMER).toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // The check above is only worth something if the verifier can fail.
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains("Failed to parse calendar specification");
    }

    @Test
    void serviceRunsTheNightlyOnceInTheJournalAndTheTimerCatchesUp() {
        NightlyUnits units = new NightlyUnits(List.of("/opt/rocluster dir/rocluster"), Path.of("/opt/rocluster dir"),
                Path.of("/etc/rocluster/compute 100%.yaml"), Path.of("/data/cluster"), 4, NightlyUnits.DEFAULT_ON_CALENDAR,
                new java.util.TreeMap<>(java.util.Map.of("ROCLUSTER_SIGN_KEY", "/etc/rocluster/night.key")));

        assertThat(units.service()).contains("Type=oneshot\n", "StandardOutput=journal\n", "StandardError=journal\n",
                "WorkingDirectory=/opt/rocluster dir\n", "Environment=ROCLUSTER_SIGN_KEY=/etc/rocluster/night.key\n",
                "ExecStart=\"/opt/rocluster dir/rocluster\" nightly \"/etc/rocluster/compute 100%%.yaml\""
                        + " --master /data/cluster --keep 4\n");
        assertThat(units.timer()).contains("OnCalendar=*-*-* 02:00:00\n", "Persistent=true\n",
                "Unit=rocluster-nightly.service\n", "WantedBy=timers.target\n");
    }

    @Test
    void aCalendarExpressionIsOneLine() {
        assertThatThrownBy(() -> new NightlyUnits(List.of("/r"), Path.of("/"), Path.of("/s.yaml"), Path.of("/m"), 3,
                "daily\nExecStartPre=/bin/evil", new java.util.TreeMap<>()))
                .isInstanceOf(RoclusterException.class)
                .hasMessageContaining("is not one systemd calendar expression");
        assertThatThrownBy(() -> new NightlyUnits(List.of("/r"), Path.of("/"), Path.of("/s.yaml"), Path.of("/m"), 3, " ",
                new java.util.TreeMap<>()))
                .isInstanceOf(RoclusterException.class);
    }
}

package io.rocluster.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A boot test killed by SIGKILL leaves QEMU and Ganesha running; the next one stops them. */
class BootWorkspaceTest {

    @TempDir
    Path tmp;

    @Test
    void theOrphansOfAKilledBootTestAreStoppedAndOnlyThey() throws Exception {
        // A program that is named like QEMU, so the pid check recognises it; and an unrelated one.
        Path fakeQemu = Files.copy(Path.of("/bin/sleep"), tmp.resolve("qemu-system-x86_64"));
        Process qemu = new ProcessBuilder(fakeQemu.toString(), "300").start();
        Process unrelated = new ProcessBuilder("sleep", "300").start();
        Process deadOwner = new ProcessBuilder("true").start();
        deadOwner.waitFor();
        try {
            Path orphan = Files.createDirectory(tmp.resolve(BootWorkspace.PREFIX + "1"));
            Files.writeString(orphan.resolve("owner.pid"), deadOwner.pid() + "\n");
            Files.writeString(orphan.resolve("children.pids"), qemu.pid() + "\n" + unrelated.pid() + "\n");
            Path running = Files.createDirectory(tmp.resolve(BootWorkspace.PREFIX + "2"));
            Files.writeString(running.resolve("owner.pid"), ProcessHandle.current().pid() + "\n");
            Files.writeString(running.resolve("children.pids"), qemu.pid() + "\n");

            List<String> stopped = BootWorkspace.stopOrphans(tmp);

            assertThat(stopped).singleElement().asString().contains("qemu-system-x86_64 (pid " + qemu.pid() + ")")
                    .contains("rocluster (pid " + deadOwner.pid() + ") was killed");
            assertThat(qemu.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(unrelated.isAlive()).as("a pid that runs another program now is left alone").isTrue();
            assertThat(orphan).doesNotExist();
            assertThat(running).as("a live boot test's directory").isDirectory();
        } finally {
            qemu.destroyForcibly();
            unrelated.destroyForcibly();
        }
    }
}

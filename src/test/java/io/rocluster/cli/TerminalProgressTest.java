package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {

    private static String drive(boolean terminal) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalProgress p = new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal);
        p.update("checking", 0, 0);
        for (long done = 0; done <= 1000; done += 10) {
            p.update("unpacking", done, 1000);
        }
        p.update("installing boot files", 0, 0);
        p.finish();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pipesAndLogsGetOneLinePerPhase() {
        assertThat(drive(false)).isEqualTo("rocluster: checking\nrocluster: unpacking (1000 B)\n"
                + "rocluster: installing boot files\n").doesNotContain("\r");
    }

    @Test
    void terminalsGetARedrawnBar() {
        String out = drive(true);
        assertThat(out).contains("\runpacking [..............................] 0% 0 B / 1000 B")
                .contains("\runpacking [###############...............] 50% 500 B / 1000 B")
                .contains("\runpacking [##############################] 100% 1000 B / 1000 B");
        // Redrawn once per percent, not once per update.
        assertThat(out.split("\runpacking", -1)).hasSize(102);
    }
}

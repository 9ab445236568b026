package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {

    @TempDir
    Path tmp;

    @Test
    void recentReadsTheNewestEntriesFromTheEnd() throws Exception {
        History h = new History(tmp.resolve("history.jsonl"));
        assertThat(h.last()).isNull();
        assertThat(h.recent(5)).isEmpty();
        for (int i = 1; i <= 600; i++) {
            h.append(new HistoryEntry("2026-01-01T00:00:00Z", "root", "promote", "v" + (i - 1), "v" + i,
                    "a reason long enough to make the file span several of the blocks read from its end", i));
        }
        assertThat(Files.size(tmp.resolve("history.jsonl"))).isGreaterThan(3 * 16 << 10);
        assertThat(h.last().to()).isEqualTo("v600");
        assertThat(h.recent(3)).extracting(HistoryEntry::to).containsExactly("v598", "v599", "v600");
        List<HistoryEntry> many = h.recent(450);
        assertThat(many).hasSize(450);
        assertThat(many.get(0).to()).isEqualTo("v151");
        assertThat(h.recent(10_000)).hasSize(600).isEqualTo(h.read());
    }

    @Test
    void aTornLastLineIsCut() throws Exception {
        Path f = tmp.resolve("history.jsonl");
        History h = new History(f);
        h.append(new HistoryEntry("t", "root", "promote", null, "v1", null, 2));
        Files.writeString(f, "{\"time\":\"t\",\"us", java.nio.file.StandardOpenOption.APPEND);
        assertThat(h.repairTail()).isTrue();
        assertThat(h.repairTail()).isFalse();
        assertThat(h.read()).extracting(HistoryEntry::to).containsExactly("v1");
    }
}

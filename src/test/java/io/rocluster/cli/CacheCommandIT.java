package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.build.StageCache;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code rocluster cache list|prune} through the real command line on the real Docker engine. The cache is
 * shared by every build on this machine, so the test only reads it and prunes with a bound nothing exceeds;
 * pruning itself is proved on a private repository by StageCacheIT.
 */
class CacheCommandIT {

    @Test
    void listShowsEveryEntryAndTheBoundAndAPruneUnderTheBoundRemovesNothing() {
        Cli.Run list = Cli.run("cache", "list");

        // Other builds may add entries meanwhile: the listing is checked against itself.
        assertThat(list.code()).as(list.err()).isZero();
        List<String> lines = list.out().lines().toList();
        int entries = lines.size() - 1;
        assertThat(lines.subList(0, entries))
                .allMatch(l -> l.matches("[a-z]+ +[0-9a-f]{16}  \\S+ +\\S+ +[0-9.]+ [KMGT]?i?B"), "stage digest created image size");
        assertThat(lines.get(entries)).isEqualTo(entries + " entries (bound: " + StageCache.keep() + ", ROCLUSTER_CACHE_KEEP)");

        Cli.Run prune = Cli.run("cache", "prune", "--keep", "1000000");
        assertThat(prune.code()).as(prune.err()).isZero();
        assertThat(prune.out()).matches("removed 0 cache entries; \\d+ left\n");
        assertThat(Cli.run("cache").code()).isEqualTo(2);
    }
}

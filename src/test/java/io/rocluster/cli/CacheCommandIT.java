package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.build.StageCache;
import io.rocluster.container.DockerEngine;
import org.junit.jupiter.api.Test;

/**
 * {@code rocluster cache list|prune} through the real command line on the real Docker engine. The cache is
 * shared by every build on this machine, so the test only reads it and prunes with a bound nothing exceeds;
 * pruning itself is proved on a private repository by StageCacheIT.
 */
class CacheCommandIT {

    @Test
    void listShowsEveryEntryAndTheBoundAndAPruneUnderTheBoundRemovesNothing() {
        int entries = new StageCache(DockerEngine.connect()).list().size();

        Cli.Run list = Cli.run("cache", "list");

        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out().lines()).hasSize(entries + 1);
        assertThat(list.out().lines().limit(entries))
                .allMatch(l -> l.matches("\\S+ +[0-9a-f]{16}  \\S+ +" + StageCache.REPOSITORY + ":[0-9a-f]{64} +\\S+ \\S+"));
        assertThat(list.out()).endsWith(entries + " entries (bound: " + StageCache.keep() + ", ROCLUSTER_CACHE_KEEP)\n");

        Cli.Run prune = Cli.run("cache", "prune", "--keep", "1000000");
        assertThat(prune.code()).as(prune.err()).isZero();
        assertThat(prune.out()).isEqualTo("removed 0 cache entries; " + entries + " left\n");
        assertThat(Cli.run("cache").code()).isEqualTo(2);
    }
}

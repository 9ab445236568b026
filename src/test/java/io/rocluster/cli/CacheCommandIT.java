package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rocluster.build.StageCache;
import io.rocluster.container.DockerEngine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code rocluster cache list|prune} (and {@code list --json}) through the real command line on the real Docker
 * engine. The cache is shared by every build on this machine, so the test only reads it and prunes with a bound
 * nothing exceeds;
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

    @Test
    void listJsonIsTheCacheEntriesAsRecords() throws Exception {
        Cli.Run list = Cli.run("cache", "list", "--json");

        assertThat(list.code()).as(list.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(list.out());
        assertThat(json.isArray()).isTrue();
        Map<String, StageCache.Entry> parsed = new HashMap<>();
        String previous = null;
        for (JsonNode e : json) {
            List<String> keys = new ArrayList<>();
            e.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("digest", "stage", "image", "created", "size");
            assertThat(e.path("digest").asText()).matches("[0-9a-f]{64}");
            assertThat(e.path("size").isIntegralNumber()).isTrue();
            String created = e.path("created").asText();
            assertThat(previous == null || created.compareTo(previous) <= 0).as("newest first").isTrue();
            previous = created;
            parsed.put(e.path("digest").asText(), new StageCache.Entry(e.path("digest").asText(),
                    e.path("stage").asText(), e.path("image").asText(), created, e.path("size").asLong()));
        }
        // Other builds share the cache: entries may come and go between two listings, the ones in both agree.
        for (StageCache.Entry e : new StageCache(DockerEngine.connect()).list()) {
            if (parsed.containsKey(e.digest())) {
                assertThat(parsed.get(e.digest())).isEqualTo(e);
            }
        }
    }
}

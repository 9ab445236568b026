package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.container.BuilderContainer;
import io.rocluster.container.DockerEngine;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stage cache on a real Docker engine, in a repository of its own so that it never touches the real
 * cache: entries stored by committing a container, found by digest, listed newest first, pruned to a bound
 * and emptied. Needs the debian:12 base image.
 */
class StageCacheIT {

    private final DockerEngine engine = DockerEngine.connect();
    private final StageCache cache = new StageCache(engine, "rocluster-cache-it");

    @AfterEach
    void empty() {
        cache.prune(0);
    }

    @Test
    void storeLookupListPrune() throws InterruptedException {
        // A chain, as a build makes it: each stage's container starts from the previous stage's entry.
        String from = "debian:12";
        for (String d : List.of("a1", "b2", "c3")) {
            try (BuilderContainer c = BuilderContainer.start(engine, from, "stage-cache-it", false)) {
                c.execChecked(List.of("sh", "-c", "mkdir -p /build && echo " + d + " >> /build/marker"));
                cache.store(c, "stage-" + d, d.repeat(32), "it");
            }
            from = cache.reference(d.repeat(32));
            // Entries are ordered by their creation time (ISO seconds and below): keep them apart.
            Thread.sleep(50);
        }

        assertThat(cache.lookup("b2".repeat(32))).isPresent();
        assertThat(cache.lookup("d4".repeat(32))).isEmpty();
        assertThat(cache.list()).extracting(StageCache.Entry::stage).containsExactly("stage-c3", "stage-b2", "stage-a1");

        assertThat(cache.prune(1)).isEqualTo(2);
        assertThat(cache.list()).extracting(StageCache.Entry::stage).containsExactly("stage-c3");
        assertThat(cache.lookup("a1".repeat(32))).isEmpty();
        // The kept entry was built on the pruned ones: their layers stay as long as it needs them.
        try (BuilderContainer c = BuilderContainer.start(engine, cache.reference("c3".repeat(32)), "stage-cache-it", false)) {
            assertThat(c.execChecked(List.of("cat", "/build/marker"))).isEqualTo("a1\nb2\nc3\n");
        }

        // The entries a build just used count as the newest: an old entry it started from outlives newer ones.
        String d4 = "d4".repeat(32);
        try (BuilderContainer c = BuilderContainer.start(engine, "debian:12", "stage-cache-it", false)) {
            cache.store(c, "stage-d4", d4, "it");
        }
        assertThat(cache.list()).extracting(StageCache.Entry::stage).containsExactly("stage-d4", "stage-c3");
        assertThat(cache.prune(1, List.of("c3".repeat(32)))).isEqualTo(1);
        assertThat(cache.list()).extracting(StageCache.Entry::stage).containsExactly("stage-c3");

        cache.prune(0);
        assertThat(cache.list()).isEmpty();
    }
}

package io.rocluster.build;

import io.rocluster.container.BuilderContainer;
import io.rocluster.container.DockerEngine;
import io.rocluster.container.LocalImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The stage cache: the builder container committed after each stage as image {@code rocluster-cache:<digest>}
 * (labels: stage, image name, created), so a later build starts from the deepest stage whose digest matches
 * and re-runs only what follows. Images share their layers, so the cost of an entry is what its stage changed.
 * Bounded: after a build only the {@link #keep} most recently used entries stay, the stages that build just
 * used or made counting as the most recent (so a long-lived bootstrap entry that every build starts from is
 * never the one to go); {@code rocluster cache prune} empties it.
 */
public final class StageCache {

    /** Repository of the cache images. */
    public static final String REPOSITORY = "rocluster-cache";
    static final String LABEL_STAGE = "io.rocluster.cache.stage";
    static final String LABEL_IMAGE = "io.rocluster.cache.image";
    static final String LABEL_CREATED = "io.rocluster.cache.created";
    static final String LABEL_REPOSITORY = "io.rocluster.cache.repository";
    /** Default bound: room for the stages of a few images and their variants. */
    public static final int DEFAULT_KEEP = 24;

    private final DockerEngine engine;
    private final String repository;

    public StageCache(DockerEngine engine) {
        this(engine, REPOSITORY);
    }

    /** A cache in another repository (tests keep theirs apart from the real one). */
    StageCache(DockerEngine engine, String repository) {
        this.engine = engine;
        this.repository = repository;
    }

    /** The configured bound: ROCLUSTER_CACHE_KEEP, else {@link #DEFAULT_KEEP}. */
    public static int keep() {
        String env = System.getenv("ROCLUSTER_CACHE_KEEP");
        try {
            return env == null || env.isBlank() ? DEFAULT_KEEP : Math.max(0, Integer.parseInt(env.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_KEEP;
        }
    }

    String reference(String digest) {
        return repository + ":" + digest;
    }

    /** The cached image of a stage digest, if present. */
    Optional<String> lookup(String digest) {
        return engine.imageId(reference(digest));
    }

    /** Commits the container's state after {@code stage} under {@code digest}. */
    String store(BuilderContainer container, String stage, String digest, String imageName) {
        return container.commit(repository, digest, Map.of(LABEL_STAGE, stage, LABEL_IMAGE, imageName,
                LABEL_CREATED, Instant.now().toString(), LABEL_REPOSITORY, repository));
    }

    /**
     * One cache entry.
     *
     * @param digest  stage digest
     * @param stage   stage name
     * @param image   name of the image spec that made it
     * @param created when
     * @param size    image size in bytes (layers shared with other entries included)
     */
    public record Entry(String digest, String stage, String image, String created, long size) {}

    /** The entries, newest first. */
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        for (LocalImage i : engine.imagesWithLabel(LABEL_STAGE)) {
            for (String tag : i.tags()) {
                if (tag.startsWith(repository + ":")) {
                    out.add(new Entry(tag.substring(repository.length() + 1), i.labels().get(LABEL_STAGE),
                            i.labels().getOrDefault(LABEL_IMAGE, ""), i.labels().getOrDefault(LABEL_CREATED, ""),
                            i.size()));
                }
            }
        }
        out.sort(Comparator.comparing(Entry::created).reversed().thenComparing(Entry::digest));
        return out;
    }

    /**
     * Removes all but the {@code keep} newest entries.
     *
     * @return the number of entries removed
     */
    public int prune(int keep) {
        return prune(keep, List.of());
    }

    /**
     * Removes all but the {@code keep} most recently used entries, where the entries of {@code inUse} (the stage
     * digests a build just started from or stored) count as newer than any other and the rest go by creation
     * time. Entries are created once and then only read, so without {@code inUse} the oldest entry would be the
     * bootstrap stage that every build of an image starts from. Newest first among those removed, because a
     * child image always is newer than its parent: a parent goes once its children are gone.
     *
     * @return the number of entries removed
     */
    public int prune(int keep, Collection<String> inUse) {
        // An entry re-stored under the same digest (--no-cache) leaves its predecessor untagged: drop those too.
        for (LocalImage i : engine.imagesWithLabel(LABEL_STAGE)) {
            if (repository.equals(i.labels().get(LABEL_REPOSITORY))
                    && i.tags().stream().noneMatch(t -> t.startsWith(repository + ":"))) {
                engine.removeImage(i.id());
            }
        }
        List<Entry> entries = new ArrayList<>(list());
        Set<String> used = Set.copyOf(inUse);
        // Stable: within each half, still newest first.
        entries.sort(Comparator.comparing((Entry e) -> !used.contains(e.digest())));
        int removed = 0;
        for (Entry e : entries.subList(Math.min(keep, entries.size()), entries.size())) {
            if (engine.removeImage(reference(e.digest()))) {
                removed++;
            }
        }
        return removed;
    }
}

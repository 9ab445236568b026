package io.rocluster.container;

import java.util.List;
import java.util.Map;

/**
 * An image of the local Docker engine.
 *
 * @param id      image id ({@code sha256:…})
 * @param tags    its repository:tag names
 * @param labels  its labels
 * @param size    size in bytes, shared layers included
 * @param created creation time, seconds since the epoch
 */
public record LocalImage(String id, List<String> tags, Map<String, String> labels, long size, long created) {

    public LocalImage {
        tags = tags == null ? List.of() : List.copyOf(tags);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}

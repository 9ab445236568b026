package io.rocluster.archive;

import java.util.OptionalLong;
import java.util.Set;

/**
 * How a root is packed.
 *
 * @param sourceDateEpoch  clamp every mtime to at most this many seconds since the epoch (the
 *                         SOURCE_DATE_EPOCH convention); empty keeps mtimes as they are (whole seconds)
 * @param excludeContents  leave out the contents of {@link #EXCLUDED_CONTENTS} (relative to the archive
 *                         root) while keeping the directories themselves, as the reference procedure's
 *                         rsync excludes do; true whenever a root file system is packed
 */
public record PackOptions(OptionalLong sourceDateEpoch, boolean excludeContents) {

    /** Top-level directories of a root whose contents are runtime state or mount points, never image content. */
    public static final Set<String> EXCLUDED_CONTENTS =
            Set.of("proc", "sys", "dev", "run", "tmp", "mnt", "media", "home", "srv");

    /** Packing a root file system: contents of the runtime directories left out, mtimes clamped if given. */
    public static PackOptions rootfs(OptionalLong sourceDateEpoch) {
        return new PackOptions(sourceDateEpoch, true);
    }
}

package io.rocluster.archive;

import io.rocluster.RoclusterException;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The {@code SOURCE_DATE_EPOCH} convention (reproducible-builds.org, as mkosi uses it): a number of seconds
 * since the epoch that every mtime in a packed root is clamped to. Read here only, for {@code pack} and
 * {@code build} alike; what a build used is recorded in its manifest.
 */
public final class SourceDateEpoch {

    /** The environment variable. */
    public static final String ENV = "SOURCE_DATE_EPOCH";

    private SourceDateEpoch() {}

    /**
     * The clamp to use: {@code option} when given, else {@value #ENV} from {@code env}, else none.
     *
     * @throws RoclusterException when the environment's value is not a whole number of seconds
     */
    public static OptionalLong resolve(Long option, Map<String, String> env) {
        if (option != null) {
            return OptionalLong.of(check(option, String.valueOf(option)));
        }
        return parse(env.get(ENV));
    }

    /** {@code text} as seconds; empty when it is null or blank (unset, as shells often leave it). */
    public static OptionalLong parse(String text) {
        if (text == null || text.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(check(Long.parseLong(text.trim()), text));
        } catch (NumberFormatException e) {
            throw notSeconds(text);
        }
    }

    private static long check(long seconds, String text) {
        if (seconds < 0) {
            throw notSeconds(text);
        }
        return seconds;
    }

    private static RoclusterException notSeconds(String text) {
        return new RoclusterException(ENV + "='" + text + "' is not a number of seconds since the epoch: "
                + "set it to a whole number (e.g. $(date +%s)) or unset it");
    }
}

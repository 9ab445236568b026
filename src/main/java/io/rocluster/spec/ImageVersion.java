package io.rocluster.spec;

import io.rocluster.RoclusterException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image version: the one name a build, an artefact directory, a deployed tree and a boot menu entry share.
 * It becomes a path component ({@code output/<name>/<version>/}, {@code images/<version>/}) and a word in
 * boot menus, so it is checked once here, before anything uses it: 1 to 64 letters, digits, '.', '_' or
 * '-', starting with a letter or digit (ARCHITECTURE.md).
 *
 * <p>Order: nightly versions ({@code YYYY.MM.DD.N}, as {@code --nightly} makes them) compare by day, then
 * by N as a number, so {@code 2026.11.25.10} follows {@code 2026.11.25.9}; every other version compares by
 * its text. The two meet consistently: a nightly version is placed as the text with N widened to the
 * longest possible number would be, so the order is total and transitive.
 *
 * @param text the version as written
 */
public record ImageVersion(String text) implements Comparable<ImageVersion> {

    /** The rule, written once: versions (and image names, which follow the same rule) match it whole. */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** The order of {@link #compareTo}, for version strings already checked (e.g. directory names). */
    public static final Comparator<String> ORDER = ImageVersion::compare;

    private static final Pattern NIGHTLY = Pattern.compile("(\\d{4}\\.\\d{2}\\.\\d{2}\\.)(\\d+)");
    private static final DateTimeFormatter NIGHTLY_DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");
    // A version is at most 64 characters, so N has fewer digits than this: padding to it never truncates.
    private static final int NIGHTLY_WIDTH = 64;

    /** @throws RoclusterException when {@code text} is not a version (see {@link #check}) */
    public ImageVersion {
        check(text);
    }

    /** The version {@code text} is, or one line saying what a version may be. */
    public static ImageVersion parse(String text) {
        return new ImageVersion(text);
    }

    /**
     * Returns {@code text} when it is a version.
     *
     * @throws RoclusterException naming the value and what a version may contain
     */
    public static String check(String text) {
        if (!isValid(text)) {
            throw new RoclusterException("'" + text + "' is not a version: use 1 to 64 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
        return text;
    }

    /** Whether {@code text} is a version (hidden work directories such as {@code .incoming-*} are not). */
    public static boolean isValid(String text) {
        return text != null && PATTERN.matcher(text).matches();
    }

    /** The nightly version {@code YYYY.MM.DD.N} of {@code day}, {@code n} ≥ 1. */
    public static ImageVersion nightly(LocalDate day, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("nightly number " + n + " is not at least 1");
        }
        return new ImageVersion(NIGHTLY_DAY.format(day) + "." + n);
    }

    /** Whether this is a nightly version, {@code YYYY.MM.DD.N}. */
    public boolean isNightly() {
        return NIGHTLY.matcher(text).matches();
    }

    @Override
    public int compareTo(ImageVersion other) {
        return compare(text, other.text);
    }

    @Override
    public String toString() {
        return text;
    }

    private static int compare(String a, String b) {
        int c = sortKey(a).compareTo(sortKey(b));
        // Two nightly versions differing only in N's leading zeros have the same key; their text decides.
        return c != 0 ? c : a.compareTo(b);
    }

    private static String sortKey(String version) {
        Matcher m = NIGHTLY.matcher(version);
        if (!m.matches()) {
            return version;
        }
        String n = m.group(2);
        return m.group(1) + "0".repeat(NIGHTLY_WIDTH - n.length()) + n;
    }
}

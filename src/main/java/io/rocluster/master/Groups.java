package io.rocluster.master;

import io.rocluster.RoclusterException;
import java.util.regex.Pattern;

/**
 * Node groups: sets of clients that run their own version (a canary group, gpu nodes, login nodes). A
 * client without a group of its own is in the {@link #DEFAULT} group, whose version is the one
 * {@code active} points at; a group name becomes part of config comments and history lines, so it is
 * kept to a small alphabet.
 */
public final class Groups {

    /** The group of every client that has no group of its own. */
    public static final String DEFAULT = "default";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    private Groups() {}

    /**
     * The group {@code name} stands for: null and {@value #DEFAULT} are the default group.
     *
     * @throws RoclusterException when the name is not a group name
     */
    public static String normalise(String name) {
        if (name == null || name.equals(DEFAULT)) {
            return DEFAULT;
        }
        if (!NAME.matcher(name).matches()) {
            throw new RoclusterException("'" + name + "' is not a group name: use 1 to 32 lower-case letters, digits, "
                    + "'-' or '_', starting with a letter or digit (e.g. canary)");
        }
        return name;
    }

    static boolean isDefault(String group) {
        return group == null || group.equals(DEFAULT);
    }

    /** The name as stored in records and history: null for the default group. */
    static String stored(String group) {
        return isDefault(group) ? null : group;
    }
}

package io.rocluster.spec;

import java.util.regex.Pattern;

/**
 * Format rules for single spec values. Each check returns null when the value is fine, or the message a user
 * needs: what is wrong and what is allowed.
 *
 * <p>Paths end up in files that shell scripts read word by word (rwtab is read with {@code read type path},
 * statetab with {@code for path in $(…)}), so they may not contain whitespace or shell syntax; free-text
 * options end up inside double quotes in files that are sourced, so they may not contain quotes, {@code $},
 * backquotes or backslashes.
 */
final class SpecChecks {

    private static final Pattern PATH_CHARS = Pattern.compile("[A-Za-z0-9/._+@:,=~-]+");
    private static final Pattern UNIT = Pattern.compile(
            "[A-Za-z0-9:_.\\\\@-]+\\.(service|socket|target|timer|mount|automount|path|swap|slice|device|scope)");
    private static final Pattern PACKAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+:=~-]{0,127}");
    private static final Pattern DRACUT_MODULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern DRIVER = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,16}");
    private static final Pattern NFS_OPTIONS = Pattern.compile("[A-Za-z0-9=._-]+(,[A-Za-z0-9=._-]+)*");

    private SpecChecks() {}

    /** Image names become a path component beside their versions, so they follow the version rule. */
    static String name(String v) {
        return ImageVersion.isValid(v) ? null
                : "'" + v + "' is not a valid name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";
    }

    /** An absolute, normalised path inside the image, not the root itself. */
    static String absolutePath(String v) {
        if (!v.startsWith("/")) {
            return "'" + v + "' is not an absolute path; write it from the root, e.g. /" + v;
        }
        if (v.equals("/")) {
            return "the root directory itself cannot be listed; name a path below it";
        }
        if (!PATH_CHARS.matcher(v).matches()) {
            return "'" + v + "' contains whitespace or shell special characters; paths may use letters, digits and / . _ + @ : , = ~ -";
        }
        for (String segment : v.substring(1).split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return "'" + v + "' contains '" + segment + "'; write the path without . or .. segments";
            }
            if (segment.isEmpty()) {
                return "'" + v + "' is not normalised; write " + normalise(v);
            }
        }
        return null;
    }

    static String unit(String v) {
        return UNIT.matcher(v).matches() ? null
                : "'" + v + "' is not a systemd unit name; write the full name with its type, e.g. foo.service or foo.timer";
    }

    static String packageName(String v) {
        return PACKAGE.matcher(v).matches() ? null
                : "'" + v + "' is not a package name; use the distribution's name (letters, digits and . _ + : = ~ -)";
    }

    static String dracutModule(String v) {
        return DRACUT_MODULE.matcher(v).matches() ? null
                : "'" + v + "' is not a dracut module name (e.g. nfs, network, network-legacy)";
    }

    static String driver(String v) {
        return DRIVER.matcher(v).matches() ? null
                : "'" + v + "' is not a kernel module name (e.g. e1000e, virtio_net)";
    }

    static String label(String v) {
        return LABEL.matcher(v).matches() ? null
                : "'" + v + "' is not a file system label: 1 to 16 letters, digits, '.', '_' or '-'";
    }

    static String host(String v) {
        return HostName.isValid(v) ? null
                : "'" + v + "' is not a host name or IPv4 address the clients can reach the master at";
    }

    static String nfsOptions(String v) {
        return v.isEmpty() || NFS_OPTIONS.matcher(v).matches() ? null
                : "'" + v + "' is not a comma-separated list of NFS mount options (e.g. tcp,rsize=1048576)";
    }

    /** Text that ends up inside double quotes in a sourced shell file. */
    static String sourceDateEpoch(String v) {
        if (v.equals(ImageSpec.DISTRIBUTION_RELEASE) || v.equals(ImageSpec.NEWEST_PACKAGE)) {
            return null;
        }
        if (!v.matches("\\d{1,12}")) {
            return "'" + v + "' is not " + ImageSpec.DISTRIBUTION_RELEASE + ", " + ImageSpec.NEWEST_PACKAGE
                    + " or a number of seconds since 1970, e.g. 1700000000";
        }
        if (Long.parseLong(v) > java.time.Instant.now().getEpochSecond()) {
            return v + " lies in the future (" + java.time.Instant.ofEpochSecond(Long.parseLong(v))
                    + "): files the build writes would keep their own times; use a past time or " + ImageSpec.DISTRIBUTION_RELEASE;
        }
        return null;
    }

    static String quotable(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '$' || c == '`' || c == '\\' || c == '\'' || Character.isISOControl(c)) {
                return "'" + v + "' contains " + describe(c) + "; quotes, $, backquotes, backslashes and control characters are not allowed";
            }
        }
        return null;
    }

    private static String describe(char c) {
        return Character.isISOControl(c) ? "a control character (e.g. a line break)" : "'" + c + "'";
    }

    private static String normalise(String v) {
        String n = v.replaceAll("/+", "/");
        return n.length() > 1 && n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }
}

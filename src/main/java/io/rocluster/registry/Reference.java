package io.rocluster.registry;

import io.rocluster.RoclusterException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a version lives in a registry: {@code host[:port]/repository:tag}, the registry always named (no
 * default registry: a version must never land somewhere by accident).
 *
 * @param host       host name, IPv4 address or bracketed IPv6 address, lower case
 * @param port       port, or -1 for the scheme's default
 * @param repository repository path, as the OCI distribution specification allows
 * @param tag        tag, as the specification allows
 */
public record Reference(String host, int port, String repository, String tag) {

    // The OCI distribution specification's grammar for repository names and tags.
    private static final Pattern REPOSITORY =
            Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
                    + "|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern FORM = Pattern.compile("([^/]+)/(.+):([^:/]+)");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^\\]]*\\]|[^:]+)(?::([0-9]{1,5}))?");
    private static final String EXAMPLE = "e.g. registry.example.org:5000/cluster/compute:stable";

    /**
     * Parses {@code host[:port]/repository:tag}.
     *
     * @throws RoclusterException naming what is wrong, with an example
     */
    public static Reference parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        if (m == null || !m.matches()) {
            throw new RoclusterException("'" + text + "' is not a registry reference: write HOST[:PORT]/REPOSITORY:TAG, "
                    + EXAMPLE);
        }
        Matcher hp = HOST_PORT.matcher(m.group(1));
        if (!hp.matches() || !HOST.matcher(hp.group(1)).matches()) {
            throw new RoclusterException("'" + text + "': '" + m.group(1) + "' is not a registry host[:port], " + EXAMPLE);
        }
        int port = -1;
        if (hp.group(2) != null) {
            port = Integer.parseInt(hp.group(2));
            if (port < 1 || port > 65535) {
                throw new RoclusterException("'" + text + "': port " + port + " is not between 1 and 65535");
            }
        }
        if (!REPOSITORY.matcher(m.group(2)).matches() || m.group(2).length() > 255) {
            throw new RoclusterException("'" + text + "': repository '" + m.group(2)
                    + "' is not valid: lower-case letters, digits and . _ - separated by /, " + EXAMPLE);
        }
        if (!TAG.matcher(m.group(3)).matches()) {
            throw new RoclusterException("'" + text + "': tag '" + m.group(3)
                    + "' is not valid: letters, digits, '.', '_' or '-', at most 128, not starting with '.' or '-'");
        }
        return new Reference(hp.group(1).toLowerCase(java.util.Locale.ROOT), port, m.group(2), m.group(3));
    }

    /** Whether {@code text} has the form of a reference (and not of a local path): deploy accepts either. */
    public static boolean looksLikeReference(String text) {
        return text != null && !text.startsWith("/") && !text.startsWith(".") && FORM.matcher(text).matches()
                && text.indexOf('/') > 0 && text.substring(0, text.indexOf('/')).matches(".*[.:].*|localhost");
    }

    /** {@code host[:port]}, as the registry API and the Docker config name it. */
    public String registry() {
        return port < 0 ? host : host + ":" + port;
    }

    /**
     * Whether the registry is on this machine's loopback: only then is plain HTTP used (as Docker does for
     * localhost and 127.0.0.0/8); anywhere else it is HTTPS.
     */
    public boolean loopback() {
        return host.equals("localhost") || host.equals("[::1]") || host.matches("127(?:\\.[0-9]{1,3}){3}");
    }

    /** The same repository under another tag. */
    public Reference withTag(String otherTag) {
        return parse(registry() + "/" + repository + ":" + otherTag);
    }

    @Override
    public String toString() {
        return registry() + "/" + repository + ":" + tag;
    }
}

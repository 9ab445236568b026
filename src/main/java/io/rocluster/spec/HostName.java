package io.rocluster.spec;

import io.rocluster.RoclusterException;
import java.util.regex.Pattern;

/**
 * A host name or IPv4 address in dotted form: labels of 1 to 63 letters, digits and '-' (not at either end),
 * separated by dots, at most 253 characters (RFC 1123). One rule for every name rocluster writes into
 * configuration or paths: an image's {@code nfs.server}, a master's {@code server}, a client's FQDN (its
 * {@code state/<fqdn>/} directory).
 *
 * @param text the name as written
 */
public record HostName(String text) {

    private static final Pattern RULE = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    /** @throws RoclusterException when {@code text} is not a host name (see {@link #parse}) */
    public HostName {
        if (!isValid(text)) {
            throw new RoclusterException("'" + text + "' is not a host name: use labels of letters, digits and '-' "
                    + "separated by dots, e.g. node01.cluster.example");
        }
    }

    /** The host name {@code text} is, or one line saying what a host name may be. */
    public static HostName parse(String text) {
        return new HostName(text);
    }

    /** Whether {@code text} is a host name or dotted IPv4 address. */
    public static boolean isValid(String text) {
        return text != null && RULE.matcher(text).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}

package io.rocluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * rocluster's own version, as Maven filtered it into {@code version.properties}: for {@code --version} and
 * the manifest's {@code roclusterVersion}. An image's version is another thing: {@link
 * io.rocluster.spec.ImageVersion}.
 */
public final class RoclusterVersion {

    private static final String VERSION = load();

    private RoclusterVersion() {}

    /** The version string, for {@code --version} and artefact manifests. */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = RoclusterVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.rocluster.spec;

import io.rocluster.spec.ImageSpec.Mode;
import io.rocluster.spec.ImageSpec.Profile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The commented example specs {@code rocluster init} prints. They are the files in the repository's
 * {@code examples/} directory ({@code <profile>.yaml} for diskless clients, {@code <profile>-diskful.yaml}),
 * packaged into the jar, so the examples users read, CI builds and init prints are the same bytes.
 */
public final class Examples {

    private Examples() {}

    /** The example for {@code profile} and {@code mode}, as its file reads. */
    public static String text(Profile profile, Mode mode) {
        String name = fileName(profile, mode);
        try (InputStream in = Examples.class.getResourceAsStream("examples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("example spec " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file name of an example in {@code examples/}. */
    public static String fileName(Profile profile, Mode mode) {
        return profile.id() + (mode == Mode.DISKFUL ? "-diskful" : "") + ".yaml";
    }
}

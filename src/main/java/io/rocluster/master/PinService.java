package io.rocluster.master;

import io.rocluster.archive.Durable;
import io.rocluster.spec.ImageVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pins: {@code pins/<v>} is an empty file; gc never removes a pinned version. A file per pin (rather
 * than one list) makes pin and unpin single atomic creates and deletes.
 */
public final class PinService {

    private final MasterLayout layout;
    private final PrintStream notices;

    public PinService(MasterLayout layout, PrintStream notices) {
        this.layout = layout;
        this.notices = notices;
    }

    /** Pins a deployed version; returns false if it already was. */
    public boolean pin(String version) {
        ImageVersion.check(version);
        try (MasterSession s = MasterSession.open(layout, notices)) {
            layout.requireDeployed(version);
            Path pin = layout.pins().resolve(version);
            if (Files.exists(pin)) {
                return false;
            }
            Durable.ensureDirectory(layout.pins());
            Durable.writeString(pin, "");
            return true;
        }
    }

    /** Unpins; returns false if it was not pinned. */
    public boolean unpin(String version) {
        ImageVersion.check(version);
        try (MasterSession s = MasterSession.open(layout, notices)) {
            Path pin = layout.pins().resolve(version);
            if (!Files.exists(pin)) {
                return false;
            }
            Files.delete(pin);
            Durable.syncDirectory(layout.pins());
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

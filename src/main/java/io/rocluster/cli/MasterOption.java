package io.rocluster.cli;

import io.rocluster.master.MasterLayout;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --master DIR} option every master verb takes; falls back to ROCLUSTER_MASTER, then /data/cluster. */
public final class MasterOption {

    @Option(names = "--master", paramLabel = "DIR",
            description = "Master root directory (default: $ROCLUSTER_MASTER, else /data/cluster).")
    Path master;

    /** The master layout this invocation addresses. */
    MasterLayout layout() {
        return MasterLayout.resolve(master, System.getenv());
    }
}

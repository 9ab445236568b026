package io.rocluster.cli;

import io.rocluster.master.MasterConfig;
import io.rocluster.master.MasterInitService;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code rocluster master init}: create a master's layout and master.yaml. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Create a master.",
            "Directories, master.yaml, the PXE loaders in tftpboot and an empty boot menu."})
public final class MasterInitCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Option(names = "--server", required = true, paramLabel = "ADDR",
            description = "Address clients reach this master at (NFS, TFTP); images must use the same nfs.server.")
    String server;

    @Option(names = "--clients", required = true, paramLabel = "CIDR", description = "Client network, e.g. 10.0.2.0/24.")
    String clients;

    @Option(names = "--nfs-version", paramLabel = "3|4", defaultValue = "4",
            description = "NFS version clients mount their root with (default: ${DEFAULT-VALUE}).")
    int nfsVersion;

    @Option(names = "--client-root", paramLabel = "PATH", defaultValue = MasterConfig.DEFAULT_CLIENT_ROOT,
            description = "This master's root as clients see it over NFS (default: ${DEFAULT-VALUE}).")
    String clientRoot;

    @Option(names = "--pxe-timeout", paramLabel = "SECONDS", defaultValue = "" + MasterConfig.Pxe.DEFAULT_TIMEOUT_SECONDS,
            description = "Seconds the boot menu waits (default: ${DEFAULT-VALUE}).")
    int pxeTimeout;

    @Option(names = "--force", description = "Replace an existing master.yaml that differs.")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        MasterInitService.Result r = new MasterInitService(master.layout(), System.err)
                .init(server, clients, nfsVersion, clientRoot, MasterConfig.Pxe.defaults().withTimeoutSeconds(pxeTimeout), force);
        PrintWriter out = spec.commandLine().getOut();
        out.println((r.created() ? "initialised master " : "master already initialised: ") + master.layout().root()
                + " (server " + r.config().server() + ", clients " + r.config().clients() + ", NFSv"
                + r.config().nfsVersion() + ", clients see it at " + r.config().clientRoot() + ")");
        if (!r.copied().isEmpty()) {
            out.println("copied " + r.copied().size() + " boot loader files into tftpboot");
        }
        for (String note : r.notes()) {
            out.println("note: " + note);
        }
        out.flush();
        return 0;
    }
}

package io.rocluster.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code rocluster master}: set up a master ({@code init}) and the signing keys it trusts ({@code trust}). */
@Command(name = "master", description = "Set up a master (the NFS/PXE server of the clients).",
        subcommands = {MasterInitCommand.class, MasterTrustCommand.class})
public final class MasterCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing verb: see rocluster master --help");
    }
}

package io.rocluster.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code rocluster clients add|list}: per-client state directories of diskless clients. */
@Command(name = "clients", description = "Create and list the state directories diskless clients mount (state/FQDN).",
        subcommands = {ClientsAddCommand.class, ClientsListCommand.class})
public final class ClientsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing verb: see rocluster clients --help");
    }
}

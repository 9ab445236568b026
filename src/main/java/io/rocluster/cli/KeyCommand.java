package io.rocluster.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rocluster key}: signing keys; its only verb is {@code generate}. */
@Command(name = "key", description = "Make signing keys (minisign format).",
        subcommands = {KeyGenerateCommand.class})
public final class KeyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing verb: see rocluster key --help");
    }
}

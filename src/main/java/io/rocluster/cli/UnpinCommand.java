package io.rocluster.cli;

import picocli.CommandLine.Command;

/** {@code rocluster unpin VERSION}: let gc remove a version again. */
@Command(name = "unpin", mixinStandardHelpOptions = true, description = "Let gc remove a version again.")
public final class UnpinCommand extends PinCommand {

    @Override
    boolean pin() {
        return false;
    }
}

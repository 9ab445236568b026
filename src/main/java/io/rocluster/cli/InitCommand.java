package io.rocluster.cli;

import io.rocluster.spec.Examples;
import io.rocluster.spec.ImageSpec.Mode;
import io.rocluster.spec.ImageSpec.Profile;
import java.io.PrintWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code rocluster init}: prints a commented example spec to start from. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {
            "Print a commented example image spec to stdout.",
            "The reference CentOS 7 setup (diskless unless --diskful), or Debian 12.",
            "Save it, edit it, check it with `rocluster validate`."})
public final class InitCommand implements Runnable {

    @Option(names = "--profile", paramLabel = "el7|debian12", defaultValue = "el7", converter = ProfileName.class,
            description = "Distribution of the image (default: ${DEFAULT-VALUE}).")
    Profile profile;

    /** Profiles by the names specs use, so errors and help speak the same words. */
    static final class ProfileName implements ITypeConverter<Profile> {
        @Override
        public Profile convert(String value) {
            return Profile.byId(value).orElseThrow(() -> new TypeConversionException(
                    "'" + value + "' is not one of el7, debian12"));
        }
    }

    @ArgGroup(exclusive = true)
    ModeChoice mode = new ModeChoice();

    @Spec
    CommandSpec spec;

    /** --diskless and --diskful exclude each other. */
    static final class ModeChoice {
        @Option(names = "--diskless", description = "Clients keep their state on the master (default).")
        boolean diskless;

        @Option(names = "--diskful", description = "Clients keep writable paths and state on local partitions.")
        boolean diskful;
    }

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(Examples.text(profile, mode != null && mode.diskful ? Mode.DISKFUL : Mode.DISKLESS));
        out.flush();
    }
}

package io.rocluster.cli;

import io.rocluster.RoclusterException;
import io.rocluster.RoclusterVersion;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The {@code rocluster} command. Each verb is its own class in this package; this one only wires
 * them and turns errors into exit codes: 0 success, 1 failure, 2 usage (listed in every verb's help and man page).
 */
@Command(
        name = "rocluster",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = {"Read-only root images for diskless and diskful cluster clients.",
            "Build them, deploy them on the master, boot-test them, promote and roll back."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Success.",
            "1:Failure: one line on stderr names the problem and what to do (a bad spec or artefact, "
                + "verify found changes, a boot test failed, ...).",
            "2:Usage: an unknown verb or option, a missing or malformed argument."},
        subcommands = {
            CommandLine.HelpCommand.class,
            InitCommand.class,
            ValidateCommand.class,
            BuildCommand.class,
            ApplyCommand.class,
            CacheCommand.class,
            InspectCommand.class,
            KeyCommand.class,
            SignCommand.class,
            PackCommand.class,
            UnpackCommand.class,
            MasterCommand.class,
            DeployCommand.class,
            PushCommand.class,
            PullCommand.class,
            SyncCommand.class,
            BootTestCommand.class,
            PromoteCommand.class,
            RollbackCommand.class,
            StatusCommand.class,
            ListCommand.class,
            VerifyCommand.class,
            DiffCommand.class,
            GcCommand.class,
            NightlyCommand.class,
            PinCommand.class,
            UnpinCommand.class,
            ClientsCommand.class,
            RenderCommand.class,
        })
public final class Main implements Runnable {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing verb: see rocluster --help");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code, so tests can call it in-process. */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        addHelpOptions(cl);
        addExitCodesAndVersion(cl, cl.getCommandSpec());
        cl.setExecutionExceptionHandler(Main::handleError);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /**
     * Every verb answers -h/--help, whether or not its class asks for it. (Not --version: `build`
     * uses that name for the image version.)
     */
    private static void addHelpOptions(CommandLine cl) {
        CommandLine.Model.CommandSpec s = cl.getCommandSpec();
        if (s.findOption("--help") == null) {
            s.addMixin("rocluster-help", CommandLine.Model.CommandSpec.forAnnotatedObject(new HelpOption()));
        }
        cl.getSubcommands().values().forEach(Main::addHelpOptions);
    }

    /**
     * Every verb's help (and so its man page) lists the exit codes, which are the same for all, and a verb's
     * -V/--version (where it has one) prints rocluster's version like the top level's.
     */
    private static void addExitCodesAndVersion(CommandLine cl, CommandLine.Model.CommandSpec root) {
        cl.getCommandSpec().versionProvider(root.versionProvider());
        cl.getCommandSpec().usageMessage().exitCodeListHeading(root.usageMessage().exitCodeListHeading())
                .exitCodeList(root.usageMessage().exitCodeList());
        cl.getSubcommands().values().forEach(sub -> addExitCodesAndVersion(sub, root));
    }

    /** The -h/--help option alone. */
    static final class HelpOption {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;
    }

    private static int handleError(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
        boolean debug = parseResult.expandedArgs().contains("--debug");
        PrintWriter err = cl.getErr();
        if (e instanceof RoclusterException || e instanceof UncheckedIOException
                || e instanceof java.io.IOException) {
            err.println("rocluster: " + message(e));
        } else {
            err.println("rocluster: internal error: " + message(e)
                    + (debug ? "" : " (run again with --debug for the stack trace)"));
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    private static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // A full or read-only disk is the operator's to fix, not a Java exception's text.
            if (t instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
                if (f.getReason().contains("Read-only file system")) {
                    return f.getFile() + ": the file system is read-only: remount it read-write, or use another disk";
                }
                if (f.getReason().contains("No space left on device")) {
                    return f.getFile() + ": the file system is full: free space (rocluster gc), or use another disk";
                }
            }
        }
        String m = e.getMessage();
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            m = e.getCause().toString();
        } else if (e instanceof java.io.IOException) {
            m = e.toString();
        }
        return m == null ? e.toString() : m;
    }

    /** Supplies {@code --version}. */
    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rocluster " + RoclusterVersion.get()};
        }
    }
}

package io.rocluster.cli;

import io.rocluster.master.TrustService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rocluster master trust add|list|remove}: the signing keys a master accepts. */
@Command(name = "trust", description = {"Manage the signing keys this master accepts.",
    "A master that trusts at least one key deploys only artefacts signed by one of them; the keys live in "
        + "MASTER/trusted-keys/, never in an artefact."},
        subcommands = {MasterTrustCommand.Add.class, MasterTrustCommand.ListKeys.class, MasterTrustCommand.Remove.class})
public final class MasterTrustCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing verb: see rocluster master trust --help");
    }

    /** {@code trust add PUBLIC_KEY_FILE}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Trust a public key (rocluster key generate or minisign -G).",
                "From now on deploy accepts only artefacts signed by a trusted key."})
    public static final class Add implements Callable<Integer> {
        @Mixin
        MasterOption master;

        @Parameters(paramLabel = "PUBLIC_KEY_FILE", description = "A minisign public key file.")
        Path key;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            TrustService.Added a = new TrustService(master.layout(), System.err).add(key);
            PrintWriter out = spec.commandLine().getOut();
            out.println(a.added() ? "trusting key " + a.keyId() + " on " + master.layout().root()
                    : "key " + a.keyId() + " is already trusted: nothing changed");
            out.flush();
            return 0;
        }
    }

    /** {@code trust list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the trusted keys' ids.")
    public static final class ListKeys implements Callable<Integer> {
        @Mixin
        MasterOption master;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<String> ids = new TrustService(master.layout(), System.err).list();
            PrintWriter out = spec.commandLine().getOut();
            if (ids.isEmpty()) {
                out.println("no trusted keys: deploy accepts unsigned artefacts (rocluster master trust add KEY.pub)");
            }
            ids.forEach(out::println);
            out.flush();
            return 0;
        }
    }

    /** {@code trust remove KEY_ID}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Stop trusting a key.", "Versions it signed stay deployed and promotable."})
    public static final class Remove implements Callable<Integer> {
        @Mixin
        MasterOption master;

        @Parameters(paramLabel = "KEY_ID", description = "The key's id, as trust list prints it.")
        String keyId;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<String> left = new TrustService(master.layout(), System.err).remove(keyId);
            PrintWriter out = spec.commandLine().getOut();
            out.println("no longer trusting key " + keyId.toUpperCase(java.util.Locale.ROOT) + (left.isEmpty()
                    ? "; no key is trusted now: deploy accepts unsigned artefacts"
                    : "; still trusted: " + String.join(", ", left)));
            out.flush();
            return 0;
        }
    }
}

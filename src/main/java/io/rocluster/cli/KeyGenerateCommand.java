package io.rocluster.cli;

import io.rocluster.artefact.signature.KeyFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rocluster key generate}: a new Ed25519 key pair in minisign's format. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate a signing key pair (Ed25519, minisign's file format).",
            "The secret key is written unencrypted with mode 0600, for a nightly job that has nobody to type a "
                + "passphrase: keep it on the build host only. The public key goes to every master "
                + "(rocluster master trust add) and checks signatures with minisign -V too.",
            "Existing files are never overwritten."})
public final class KeyGenerateCommand implements Callable<Integer> {

    @Option(names = "--secret-key", required = true, paramLabel = "FILE", description = "Where to write the secret key.")
    Path secretKey;

    @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "Where to write the public key.")
    Path publicKey;

    @Option(names = "--comment", paramLabel = "TEXT", description = "The secret key file's comment line.")
    String comment;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        KeyFiles.Generated g = KeyFiles.generate(secretKey, publicKey, comment);
        PrintWriter out = spec.commandLine().getOut();
        out.println("generated key " + g.keyId() + ": secret key " + g.secretKey() + " (mode 0600), public key "
                + g.publicKey());
        out.flush();
        return 0;
    }
}

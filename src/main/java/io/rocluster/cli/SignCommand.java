package io.rocluster.cli;

import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.signature.ArtefactSigner;
import io.rocluster.artefact.signature.MinisignSignature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rocluster sign ARTEFACT --key FILE}: sign an artefact's SHA256SUMS. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Sign an artefact: write ARTEFACT/SHA256SUMS.minisig.",
            "Checks the artefact against its SHA256SUMS first, then signs SHA256SUMS (which covers every other "
                + "file) in minisign's format; the trusted comment names the image, version and rootfs digest. "
                + "A signature already there is replaced.",
            "Check it without rocluster: minisign -Vm ARTEFACT/SHA256SUMS -p KEY.pub."})
public final class SignCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ARTEFACT", description = "An artefact directory (output/NAME/VERSION).")
    Path artefact;

    @Option(names = "--key", required = true, paramLabel = "FILE",
            description = "Secret key (rocluster key generate, or minisign -G).")
    Path key;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "First line: the passphrase of a key encrypted by minisign -G.")
    Path passphraseFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MinisignSignature s = ArtefactSigner.load(key, passphraseFile).sign(artefact);
        PrintWriter out = spec.commandLine().getOut();
        out.println("signed " + artefact.resolve(ArtefactDirectory.SIGNATURE) + " with key " + s.keyIdHex());
        out.flush();
        return 0;
    }
}

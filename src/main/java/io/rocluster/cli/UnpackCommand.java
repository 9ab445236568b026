package io.rocluster.cli;

import io.rocluster.archive.Extractor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rocluster unpack FILE --into DIR}: restores a rootfs tarball faithfully and safely. */
@Command(name = "unpack",
        description = {
            "Restore a rootfs tarball into a new directory, faithfully and safely.",
            "As root: owners, setuid bits, xattrs incl. file capabilities, POSIX ACLs, devices, hardlinks.",
            "DIR must not exist or be empty; it appears only when complete. Hostile archives (.., absolute "
                + "names, writes through symlinks) are refused."})
public final class UnpackCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE",
            description = "Tarball: .tar.zst, .tar.gz, .tar.xz, .tar.bz2 or .tar.")
    Path file;

    @Option(names = "--into", required = true, paramLabel = "DIR", description = "New or empty directory.")
    Path into;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Extractor.Result r = Extractor.extract(file, into, Extractor.Options.defaults());
        PrintWriter err = spec.commandLine().getErr();
        for (String w : r.warnings()) {
            err.println("rocluster: warning: " + w);
        }
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("unpacked %s into %s: %d entries, %d tar bytes, tar sha256 %s%n",
                file, into, r.entries(), r.tarSize(), r.tarSha256());
        out.flush();
        return 0;
    }
}

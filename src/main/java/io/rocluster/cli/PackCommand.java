package io.rocluster.cli;

import io.rocluster.archive.PackOptions;
import io.rocluster.archive.PackResult;
import io.rocluster.archive.RootfsPacker;
import io.rocluster.archive.SourceDateEpoch;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code rocluster pack DIR --out FILE}: a deterministic rootfs tarball of a directory tree. */
@Command(name = "pack",
        description = {
            "Write a deterministic rootfs tarball of a directory tree.",
            "Entries sorted, numeric owners, xattrs (security.capability included), hardlinks, devices; the "
                + "contents of /proc /sys /dev /run /tmp /mnt /media /home /srv left out, the directories kept. "
                + "Compression from the output name: .tar.zst (default), .tar.gz, .tar."})
public final class PackCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Root directory to pack.")
    Path dir;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Output tarball: *.tar.zst, *.tar.gz or *.tar.")
    Path out;

    @Option(names = "--source-date-epoch", paramLabel = "N",
            description = "Clamp mtimes to N seconds since the epoch (default: $SOURCE_DATE_EPOCH if set, else no clamping).")
    Long sourceDateEpoch;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PackResult r = RootfsPacker.packDirectory(dir, out,
                PackOptions.rootfs(SourceDateEpoch.resolve(sourceDateEpoch, System.getenv())), null);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("packed %s into %s: %d entries, %d tar bytes (%d stored), tar sha256 %s%n",
                dir, out, r.entries(), r.tarSize(), r.compressedSize(), r.tarSha256());
        stdout.flush();
        return 0;
    }
}

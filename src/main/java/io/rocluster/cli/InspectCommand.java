package io.rocluster.cli;

import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactInspection;
import io.rocluster.artefact.InitramfsCheck;
import io.rocluster.artefact.Manifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code rocluster inspect ARTEFACT}: summary, checksums, and whether the initramfs can mount an NFS root. */
@Command(name = "inspect",
        description = {
            "Summarise an artefact; check its checksums and its initramfs's NFS support.",
            "The initramfs must hold the dracut nfs module and its cmdline hook, nfs.ko and the spec's "
                + "drivers for the image's kernel. Exit 1 when a check fails."})
public final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ARTEFACT", description = "Artefact directory (output/<name>/<version>).")
    Path dir;

    @Option(names = "--deep", description = "Also decompress the rootfs and compare its digest with the manifest.")
    boolean deep;

    @Option(names = "--json", description = "Print the summary and every check as a JSON object (exit 1 still means "
            + "a check failed).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * What {@code inspect --json} prints: the facts the text shows, under the names the manifest and
     * {@link ArtefactInspection} give them; the per-file index stays in manifest.json.
     */
    record Summary(Path artefact, String name, String version, String profile, String kernelVersion,
            String kernelCmdline, int packageCount, int fileCount, Manifest.Rootfs rootfs, long rootfsStored,
            long vmlinuzSize, long initramfsSize, String roclusterVersion, String createdAt, String builderImageId,
            List<String> checksumProblems, List<InitramfsCheck.Result> initramfs, List<String> capabilityChanges,
            List<String> capabilityFiles, boolean ok) {}

    @Override
    public Integer call() throws Exception {
        ArtefactInspection r = ArtefactInspection.of(ArtefactDirectory.open(dir), deep);
        Manifest m = r.manifest();
        if (json) {
            JsonOutput.print(spec, new Summary(dir, m.name(), m.version(), m.profile(), m.kernelVersion(),
                    m.kernelCmdline(), m.packages().size(), m.files().size(), m.rootfs(), r.rootfsStored(),
                    r.vmlinuzSize(), r.initramfsSize(), m.roclusterVersion(), m.createdAt(), m.builderImageId(),
                    r.checksumProblems(), r.initramfs(), m.capabilityChanges(), r.capabilityFiles(), r.ok()));
            return r.ok() ? 0 : 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s %s (%s), kernel %s%n", m.name(), m.version(), m.profile(), m.kernelVersion());
        out.printf("  kernel command line: %s%n", m.kernelCmdline().isEmpty() ? "(none)" : m.kernelCmdline());
        out.printf("  packages: %d, files: %d%n", m.packages().size(), m.files().size());
        out.printf("  rootfs: %s stored, %s as tar, tar sha256 %s%n", ByteSizes.human(r.rootfsStored()),
                ByteSizes.human(m.rootfs().tarSize()), m.rootfs().tarSha256());
        out.printf("  vmlinuz: %s, initramfs.img: %s%n", ByteSizes.human(r.vmlinuzSize()),
                ByteSizes.human(r.initramfsSize()));
        out.printf("  built by rocluster %s at %s with builder %s%n", m.roclusterVersion(), m.createdAt(),
                m.builderImageId());
        if (r.checksumProblems().isEmpty()) {
            out.println("checksums: OK" + (deep ? " (rootfs tar digest included)" : ""));
        } else {
            out.println("checksums: FAILED");
            r.checksumProblems().forEach(p -> out.println("  " + p));
        }
        out.println("initramfs can mount an NFS root: "
                + (r.initramfs().stream().allMatch(InitramfsCheck.Result::ok) ? "yes" : "NO"));
        for (InitramfsCheck.Result c : r.initramfs()) {
            out.printf("  %-4s %s: %s%n", c.ok() ? "ok" : "FAIL", c.what(), c.detail());
        }
        if (!m.capabilityChanges().isEmpty()) {
            out.println("file capabilities replaced by setuid root (fileCapabilities: setuid): "
                    + String.join(", ", m.capabilityChanges()));
        }
        if (!r.capabilityFiles().isEmpty()) {
            out.println("warning: " + r.capabilityFiles().size() + " file(s) carry file capabilities, which an NFS"
                    + " client cannot see: " + String.join(", ", r.capabilityFiles())
                    + " (set fileCapabilities: setuid in the spec to make them setuid root)");
        }
        out.flush();
        return r.ok() ? 0 : 1;
    }
}

package io.rocluster.cli;

import io.rocluster.RoclusterException;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.Manifest;
import io.rocluster.artefact.ManifestDiff.FileChangeKind;
import io.rocluster.artefact.ManifestDiff;
import io.rocluster.artefact.ManifestJson;
import io.rocluster.master.MasterLayout;
import io.rocluster.spec.ImageVersion;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code rocluster diff OLD NEW}: what changed between two versions, from their manifests. */
@Command(name = "diff",
        description = {
            "Show what changed between two versions: kernel, packages, spec and files.",
            "Each of OLD and NEW is an artefact directory (output/<name>/<version>) or a version deployed on "
                + "the master. Only the manifests are read. Files whose only difference is the mtime are "
                + "counted, not listed."})
public final class DiffCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(index = "0", paramLabel = "OLD", description = "Older version or artefact directory.")
    String older;

    @Parameters(index = "1", paramLabel = "NEW", description = "Newer version or artefact directory.")
    String newer;

    @Option(names = "--files", description = "List every changed file, not only the counts.")
    boolean listFiles;

    @Option(names = "--json", description = "Print the whole difference as JSON (every file included).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ManifestDiff d = ManifestDiff.of(manifest(older), manifest(newer));
        if (json) {
            JsonOutput.print(spec, d);
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(d.from() + " → " + d.to());
        if (d.identical()) {
            out.println("no differences" + (d.sameRootfs() ? " (same rootfs tar digest)" : ""));
            out.flush();
            return 0;
        }
        out.println("kernel:   " + (d.kernel() == null ? "unchanged" : d.kernel().from() + " → " + d.kernel().to()));
        if (d.cmdline() != null) {
            out.println("cmdline:  '" + d.cmdline().from() + "' → '" + d.cmdline().to() + "'");
        }
        long added = d.packages().stream().filter(p -> p.sign() == '+').count();
        long removed = d.packages().stream().filter(p -> p.sign() == '-').count();
        out.printf("packages: %d added, %d removed, %d changed%n", added, removed, d.packages().size() - added - removed);
        for (ManifestDiff.PackageChange p : d.packages()) {
            String v = p.from() == null ? p.to() : p.to() == null ? p.from() : p.from() + " → " + p.to();
            out.println("  " + p.sign() + " " + p.name() + " " + v + (p.arch() == null ? "" : " (" + p.arch() + ")"));
        }
        if (!d.specFields().isEmpty()) {
            out.println("spec:     " + String.join(", ", d.specFields()));
        }
        out.printf("files:    %d added, %d removed, %d changed content, %d changed type, %d changed metadata"
                        + "; %d differ only in mtime%n",
                d.count(FileChangeKind.ADDED), d.count(FileChangeKind.REMOVED), d.count(FileChangeKind.CONTENT),
                d.count(FileChangeKind.TYPE), d.count(FileChangeKind.METADATA), d.mtimeOnly());
        if (listFiles) {
            for (ManifestDiff.FileChange f : d.files()) {
                out.println("  " + f.kind().sign() + " /" + f.path() + "  (" + f.detail() + ")");
            }
        } else if (!d.files().isEmpty()) {
            out.println("(--files lists them)");
        }
        out.flush();
        return 0;
    }

    /** An artefact directory's manifest if {@code arg} is one, else the deployed version's on the master. */
    private Manifest manifest(String arg) {
        Path dir = Path.of(arg);
        if (Files.isRegularFile(dir.resolve(ArtefactDirectory.MANIFEST))) {
            return ManifestJson.read(dir.resolve(ArtefactDirectory.MANIFEST));
        }
        MasterLayout layout = master.layout();
        if (!arg.contains("/") && Files.isDirectory(layout.images())) {
            Path m = layout.manifest(ImageVersion.check(arg));
            if (Files.isRegularFile(m)) {
                return ManifestJson.read(m);
            }
        }
        throw new RoclusterException("'" + arg + "' is neither an artefact directory (no " + ArtefactDirectory.MANIFEST
                + " in it) nor a version deployed on the master " + layout.root()
                + ": give output/<name>/<version>, or a version that rocluster list --master DIR shows");
    }
}

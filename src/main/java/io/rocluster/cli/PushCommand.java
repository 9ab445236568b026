package io.rocluster.cli;

import io.rocluster.master.MasterLayout;
import io.rocluster.registry.PushService;
import io.rocluster.registry.Reference;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rocluster push SOURCE REF}: store a version in an OCI registry. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = {
            "Store an artefact directory in an OCI registry under a tag.",
            "Only blobs the repository lacks are uploaded: rootfs frames shared with versions already there cost "
                + "nothing, and the same version under another tag (stable, canary) only adds the tag. Plain HTTP "
                + "only for loopback registries; credentials from DOCKER_CONFIG or ~/.docker/config.json."})
public final class PushCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "An artefact directory (output/NAME/VERSION), or with --master a deployed version.")
    String source;

    @Option(names = "--master", paramLabel = "DIR",
            description = "Push deployed version SOURCE of this master (its artefact is recreated and checked).")
    Path master;

    @Parameters(index = "1", paramLabel = "REF", description = "HOST[:PORT]/REPOSITORY:TAG")
    String ref;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Reference r = Reference.parse(ref);
        PushService service = new PushService(System.getenv(), System.err);
        PushService.Result res = master != null ? service.pushDeployed(new MasterLayout(master), source, r)
                : service.push(Path.of(source), r);
        PrintWriter out = spec.commandLine().getOut();
        out.println("pushed " + res.version() + " to " + res.ref() + " (" + res.manifestDigest().substring(0, 19) + "…): "
                + res.uploaded() + " of " + res.blobs() + " blobs uploaded (" + ByteSizes.human(res.uploadedBytes())
                + " of " + ByteSizes.human(res.bytes()) + ")" + (res.uploaded() == 0 ? "; the registry had them all" : ""));
        out.flush();
        return 0;
    }
}

package io.rocluster.cli;

import io.rocluster.master.ServingConfigService;
import io.rocluster.readonly.DiskLayout;
import io.rocluster.spec.SpecLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code rocluster render exports|ganesha|dnsmasq|disk-layout}: print serving configuration for this master, or
 * the commands that lay out a diskful client's local disk for a spec.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {
            "Print serving configuration, or a diskful client's disk layout.",
            "exports: kernel NFS server (/etc/exports.d/rocluster.exports); ganesha: NFS-Ganesha EXPORT "
                + "blocks; dnsmasq: proxy-DHCP + TFTP for PXE (all three for this master).",
            "disk-layout --spec SPEC: the script an administrator runs once on each diskful client (sfdisk, then "
                + "mke2fs with the spec's rwLabel and stateLabel); boot-test --diskful builds its test disk from the "
                + "same layout."})
public final class RenderCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "WHAT", description = "exports, ganesha, dnsmasq or disk-layout.")
    String what;

    @Option(names = "--spec", paramLabel = "SPEC", description = "disk-layout: the diskful image spec.")
    Path specFile;

    @Option(names = "--size-rw", paramLabel = "N", converter = ByteSizes.Converter.class,
            description = "disk-layout: size of the RW partition, e.g. 512M or 2G (default: 1G).")
    Long sizeRw;

    @Option(names = "--size-state", paramLabel = "N", converter = ByteSizes.Converter.class,
            description = "disk-layout: size of the state partition (default: the rest of the disk).")
    Long sizeState;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        boolean layout = what.equals("disk-layout");
        if (!layout && (specFile != null || sizeRw != null || sizeState != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--spec, --size-rw and --size-state belong to render disk-layout, not render " + what);
        }
        if (layout && specFile == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "render disk-layout needs --spec SPEC: the diskful image spec whose labels the disk carries");
        }
        String text = switch (what) {
            case "exports" -> new ServingConfigService(master.layout()).exportsFile();
            case "ganesha" -> new ServingConfigService(master.layout()).ganeshaExports();
            case "dnsmasq" -> new ServingConfigService(master.layout()).dnsmasq();
            case "disk-layout" -> DiskLayout.of(SpecLoader.load(specFile),
                    sizeRw == null ? DiskLayout.DEFAULT_RW : sizeRw, sizeState == null ? 0 : sizeState).adminScript();
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "cannot render '" + what + "': give exports, ganesha, dnsmasq or disk-layout");
        };
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}

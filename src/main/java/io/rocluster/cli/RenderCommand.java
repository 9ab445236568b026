package io.rocluster.cli;

import io.rocluster.master.ServingConfigService;
import io.rocluster.nightly.NightlyUnits;
import io.rocluster.readonly.DiskLayout;
import io.rocluster.spec.SpecLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code rocluster render exports|ganesha|dnsmasq|disk-layout|systemd}: print serving configuration for this
 * master, the commands that lay out a diskful client's local disk for a spec, or the nightly job's systemd units.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {
            "Print serving configuration, a disk layout or the nightly job's units.",
            "exports: kernel NFS server (/etc/exports.d/rocluster.exports); ganesha: NFS-Ganesha EXPORT "
                + "blocks; dnsmasq: proxy-DHCP + TFTP for PXE (all three for this master).",
            "disk-layout --spec SPEC: the script an administrator runs once on each diskful client (sfdisk, then "
                + "mke2fs with the spec's rwLabel and stateLabel); boot-test --diskful builds its test disk from the "
                + "same layout.",
            "systemd [--spec SPEC]: rocluster-nightly.service and rocluster-nightly.timer, which run `rocluster "
                + "nightly SPEC` for this master every night."})
public final class RenderCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "WHAT", description = "exports, ganesha, dnsmasq, disk-layout or systemd.")
    String what;

    @Option(names = "--spec", paramLabel = "SPEC",
            description = "disk-layout: the diskful image spec; systemd: the spec the nightly job builds "
                    + "(default: examples/debian12.yaml of this rocluster).")
    Path specFile;

    @Option(names = "--size-rw", paramLabel = "N", converter = ByteSizes.Converter.class,
            description = "disk-layout: size of the RW partition, e.g. 512M or 2G (default: 1G).")
    Long sizeRw;

    @Option(names = "--size-state", paramLabel = "N", converter = ByteSizes.Converter.class,
            description = "disk-layout: size of the state partition (default: the rest of the disk).")
    Long sizeState;

    @Option(names = "--on-calendar", paramLabel = "EXPR",
            description = "systemd: when the timer runs the job, as systemd.time(7) (default: \"${DEFAULT-VALUE}\").",
            defaultValue = NightlyUnits.DEFAULT_ON_CALENDAR)
    String onCalendar;

    @Option(names = "--into", paramLabel = "DIR",
            description = "systemd: write the two units into DIR (e.g. /etc/systemd/system) instead of printing them.")
    Path into;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
        boolean layout = what.equals("disk-layout");
        boolean systemd = what.equals("systemd");
        if (!layout && (sizeRw != null || sizeState != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--size-rw and --size-state belong to render disk-layout, not render " + what);
        }
        if (!systemd && (into != null || !onCalendar.equals(NightlyUnits.DEFAULT_ON_CALENDAR))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--on-calendar and --into belong to render systemd, not render " + what);
        }
        if (!layout && !systemd && specFile != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--spec belongs to render disk-layout and render systemd, not render " + what);
        }
        if (layout && specFile == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "render disk-layout needs --spec SPEC: the diskful image spec whose labels the disk carries");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (systemd && into != null) {
            NightlyUnits.forThisInstallation(specFile, master.layout().root(), onCalendar).writeTo(into)
                    .forEach(f -> out.println("wrote " + f));
            out.flush();
            return 0;
        }
        String text = switch (what) {
            case "exports" -> new ServingConfigService(master.layout()).exportsFile();
            case "ganesha" -> new ServingConfigService(master.layout()).ganeshaExports();
            case "dnsmasq" -> new ServingConfigService(master.layout()).dnsmasq();
            case "disk-layout" -> DiskLayout.of(SpecLoader.load(specFile),
                    sizeRw == null ? DiskLayout.DEFAULT_RW : sizeRw, sizeState == null ? 0 : sizeState).adminScript();
            case "systemd" -> {
                NightlyUnits units = NightlyUnits.forThisInstallation(specFile, master.layout().root(), onCalendar);
                yield units.service() + "\n" + units.timer();
            }
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "cannot render '" + what + "': give exports, ganesha, dnsmasq, disk-layout or systemd");
        };
        out.print(text);
        out.flush();
        return 0;
    }
}

package io.rocluster.cli;

import io.rocluster.master.ServingConfigService;
import io.rocluster.nightly.NightlyUnits;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code rocluster render exports|ganesha|dnsmasq|systemd}: print configuration for this master. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {
            "Print serving configuration, or the nightly job's systemd units.",
            "exports: kernel NFS server (/etc/exports.d/rocluster.exports); ganesha: NFS-Ganesha EXPORT "
                + "blocks; dnsmasq: proxy-DHCP + TFTP for PXE; systemd: rocluster-nightly.service and "
                + "rocluster-nightly.timer, which run `rocluster nightly SPEC` every night."})
public final class RenderCommand implements Callable<Integer> {

    /** What to render. */
    enum What { exports, ganesha, dnsmasq, systemd }

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "exports|ganesha|dnsmasq|systemd", description = "exports, ganesha, dnsmasq or systemd.")
    What what;

    @Option(names = "--spec", paramLabel = "SPEC",
            description = "systemd: the spec the nightly job builds (default: examples/debian12.yaml of this rocluster).")
    Path nightlySpec;

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
        if (what != What.systemd && (nightlySpec != null || into != null
                || !onCalendar.equals(NightlyUnits.DEFAULT_ON_CALENDAR))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--spec, --on-calendar and --into are for render systemd only");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (what == What.systemd) {
            NightlyUnits units = NightlyUnits.forThisInstallation(nightlySpec, master.layout().root(), onCalendar);
            if (into != null) {
                units.writeTo(into).forEach(f -> out.println("wrote " + f));
            } else {
                out.print(units.service() + "\n" + units.timer());
            }
            out.flush();
            return 0;
        }
        ServingConfigService service = new ServingConfigService(master.layout());
        String text = switch (what) {
            case exports -> service.exportsFile();
            case ganesha -> service.ganeshaExports();
            case dnsmasq -> service.dnsmasq();
            case systemd -> throw new IllegalStateException("handled above");
        };
        out.print(text);
        out.flush();
        return 0;
    }
}

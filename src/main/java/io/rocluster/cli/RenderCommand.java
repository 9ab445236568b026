package io.rocluster.cli;

import io.rocluster.master.ServingConfigService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code rocluster render exports|ganesha|dnsmasq}: print serving configuration for this master. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {
            "Print serving configuration for this master.",
            "exports: kernel NFS server (/etc/exports.d/rocluster.exports); ganesha: NFS-Ganesha EXPORT "
                + "blocks; dnsmasq: proxy-DHCP + TFTP for PXE."})
public final class RenderCommand implements Callable<Integer> {

    /** What to render. */
    enum What { exports, ganesha, dnsmasq }

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "exports|ganesha|dnsmasq", description = "exports, ganesha or dnsmasq.")
    What what;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ServingConfigService service = new ServingConfigService(master.layout());
        String text = switch (what) {
            case exports -> service.exportsFile();
            case ganesha -> service.ganeshaExports();
            case dnsmasq -> service.dnsmasq();
        };
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}

package io.rocluster.master;

import io.rocluster.RoclusterException;
import io.rocluster.serving.DnsmasqRenderer;
import io.rocluster.serving.ExportsRenderer;
import io.rocluster.serving.GaneshaRenderer;
import io.rocluster.serving.NfsExport;
import java.util.List;

/**
 * {@code rocluster render exports|ganesha|dnsmasq}: the serving configuration the reference procedure
 * leaves as TODO, derived from master.yaml and the master's location: images read-only and state
 * read-write for the client range, at the paths clients mount ({@code clientRoot}/images,
 * {@code clientRoot}/state); PXE by proxy-DHCP + TFTP from tftpboot.
 */
public final class ServingConfigService {

    private final MasterLayout layout;

    public ServingConfigService(MasterLayout layout) {
        this.layout = layout;
    }

    private MasterConfig config() {
        layout.requireInitialised();
        return MasterConfig.read(layout.config());
    }

    /** The two exports: images (RO) and state (RW), server paths mapped to client paths. */
    List<NfsExport> exports(MasterConfig c) {
        return List.of(
                new NfsExport(layout.images().toString(), c.clientRootPath() + "/images", NfsExport.Access.RO, c.clientRange()),
                new NfsExport(layout.state().toString(), c.clientRootPath() + "/state", NfsExport.Access.RW, c.clientRange()));
    }

    /** /etc/exports.d/rocluster.exports for the kernel NFS server. */
    public String exportsFile() {
        MasterConfig c = config();
        if (!layout.root().toString().equals(c.clientRootPath())) {
            throw new RoclusterException("the kernel NFS server exports " + layout.root() + " as is, but clients mount "
                    + c.clientRootPath() + " (master.yaml clientRoot): bind-mount " + layout.root() + " on "
                    + c.clientRootPath() + " and render with --master " + c.clientRootPath()
                    + ", or serve with NFS-Ganesha (render ganesha)");
        }
        return ExportsRenderer.render(exports(c));
    }

    /** NFS-Ganesha EXPORT blocks. */
    public String ganeshaExports() {
        MasterConfig c = config();
        return GaneshaRenderer.render(exports(c), 1, c.nfsVersion());
    }

    /** dnsmasq proxy-DHCP + TFTP. */
    public String dnsmasq() {
        MasterConfig c = config();
        return DnsmasqRenderer.render(c.clientRange(), layout.tftpboot());
    }
}

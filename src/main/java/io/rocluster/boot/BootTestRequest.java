package io.rocluster.boot;

import io.rocluster.readonly.DiskLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one boot test needs, as plain values: which directories to serve and where, what the
 * guest boots, and how long to wait. The master layout is read by the caller
 * ({@link BootTestService}); nothing here knows it.
 *
 * @param version        the version under test (for the verdict)
 * @param imagesDir      the real directory exported read-only as {@code <clientRoot>/images}
 * @param stateDir       the real directory exported read-write as {@code <clientRoot>/state}
 * @param clientRoot     the master root path as clients see it over NFS, e.g. /data/cluster
 * @param serverAddress  the NFS server address baked into the image (IPv4); the guest finds the host there
 * @param clientName     the guest's DHCP host name (FQDN); its state is {@code stateDir/clientName}
 * @param mode           PXE or direct kernel
 * @param kernel         the version's kernel on the host
 * @param initrd         the version's initramfs on the host
 * @param kernelCmdline  the full kernel command line (direct kernel; PXE takes it from the config)
 * @param pxelinuxConfig {@code pxelinux.cfg/default} for the private TFTP root (PXE)
 * @param tftpFiles      further TFTP root entries: path relative to the root, host file (kernel and
 *                       initramfs at the paths the config names)
 * @param token          the value of {@code rocluster.boottest=} on the command line; the guest echoes it
 *                       and writes it into its statetab directories
 * @param timeout        the longest the guest may take to report
 * @param consoleLog     where to keep the serial console log (written aside, renamed at the end)
 * @param kernelVersion  the image's kernel release (for the initramfs check), or empty
 * @param disk           for a diskful image, the local disk the guest gets (booted twice on it); null for a
 *                       diskless one
 * @param mac            the guest's MAC (canonical), or null for QEMU's default
 * @param clientConfigs  further pxelinux configs for the private TFTP root: name under
 *                       {@code pxelinux.cfg/} (e.g. {@code 01-<mac>}), contents
 */
public record BootTestRequest(
        String version,
        Path imagesDir,
        Path stateDir,
        String clientRoot,
        String serverAddress,
        String clientName,
        BootMode mode,
        Path kernel,
        Path initrd,
        String kernelCmdline,
        String pxelinuxConfig,
        Map<String, Path> tftpFiles,
        String token,
        Duration timeout,
        Path consoleLog,
        String kernelVersion,
        DiskLayout disk,
        String mac,
        Map<String, String> clientConfigs) {

    /** The kernel argument that wakes the image's boot check and hands it the token. */
    public static final String TOKEN_ARGUMENT = "rocluster.boottest=";

    /** A request for a guest with QEMU's default MAC and only the default menu. */
    public BootTestRequest(String version, Path imagesDir, Path stateDir, String clientRoot, String serverAddress,
            String clientName, BootMode mode, Path kernel, Path initrd, String kernelCmdline, String pxelinuxConfig,
            Map<String, Path> tftpFiles, String token, Duration timeout, Path consoleLog, String kernelVersion,
            DiskLayout disk) {
        this(version, imagesDir, stateDir, clientRoot, serverAddress, clientName, mode, kernel, initrd, kernelCmdline,
                pxelinuxConfig, tftpFiles, token, timeout, consoleLog, kernelVersion, disk, null, Map.of());
    }

    public BootTestRequest {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(imagesDir, "imagesDir");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(clientRoot, "clientRoot");
        Objects.requireNonNull(clientName, "clientName");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(timeout, "timeout");
        tftpFiles = Map.copyOf(tftpFiles == null ? Map.of() : tftpFiles);
        kernelCmdline = kernelCmdline == null ? "" : kernelCmdline;
        pxelinuxConfig = pxelinuxConfig == null ? "" : pxelinuxConfig;
        kernelVersion = kernelVersion == null ? "" : kernelVersion;
        clientConfigs = Map.copyOf(clientConfigs == null ? Map.of() : clientConfigs);
    }

    /** Whether the guest boots diskful, on a local disk of {@link #disk}'s layout. */
    public boolean diskful() {
        return disk != null;
    }

    /**
     * The same request for another boot, told apart by its token: every {@code rocluster.boottest=} argument
     * of the boot menu and of the kernel command line carries the new one.
     */
    public BootTestRequest withToken(String newToken) {
        String from = TOKEN_ARGUMENT + token;
        String to = TOKEN_ARGUMENT + newToken;
        Map<String, String> configs = new java.util.LinkedHashMap<>();
        clientConfigs.forEach((name, text) -> configs.put(name, text.replace(from, to)));
        return new BootTestRequest(version, imagesDir, stateDir, clientRoot, serverAddress, clientName, mode, kernel,
                initrd, kernelCmdline.replace(from, to), pxelinuxConfig.replace(from, to), tftpFiles, newToken, timeout,
                consoleLog, kernelVersion, disk, mac, configs);
    }

    /** The client's state directory on the host. */
    public Path clientStateDir() {
        return stateDir.resolve(clientName);
    }

    /** The NFSv4 path of the images export, as the image's kernel command line names it. */
    public String imagesPseudo() {
        return join(clientRoot, "images");
    }

    /** The NFSv4 path of the state export, as the image's CLIENTSTATE names it. */
    public String statePseudo() {
        return join(clientRoot, "state");
    }

    private static String join(String root, String leaf) {
        String base = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        return base + "/" + leaf;
    }
}

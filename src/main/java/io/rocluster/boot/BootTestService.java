package io.rocluster.boot;

import io.rocluster.RoclusterException;
import io.rocluster.artefact.ManifestJson;
import io.rocluster.master.BootTestResult;
import io.rocluster.master.ClientsService;
import io.rocluster.master.DeployRecord;
import io.rocluster.master.MasterConfig;
import io.rocluster.master.MasterLayout;
import io.rocluster.master.VersionUse;
import io.rocluster.serving.BootImage;
import io.rocluster.serving.ClientMenu;
import io.rocluster.serving.MacAddress;
import io.rocluster.serving.ServedConfigs;
import io.rocluster.serving.KernelCommandLine;
import io.rocluster.serving.PxeConfigRenderer;
import io.rocluster.serving.PxeLoader;
import io.rocluster.serving.PxeSettings;
import io.rocluster.readonly.DiskLayout;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.ImageVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code rocluster boot-test}: boots a deployed version of a master the way its clients would and records
 * the verdict in {@code images/<v>/boot-test.json}, which {@code promote --require-boot-test} reads.
 *
 * <p>This class reads the master (master.yaml, deploy.json, the boot files) and renders the boot menu
 * with the same renderer and settings as {@code promote}, adding only {@code rocluster.boottest=TOKEN}
 * (which wakes the image's boot-check unit) and a serial console; the boot itself is
 * {@link BootTest}'s. The live tftpboot is never touched, and the master lock is not held while the
 * guest boots (minutes), so promote and deploy stay usable meanwhile; the version itself is held in
 * use ({@link VersionUse}), so gc keeps it until the verdict is written. A diskful version (its manifest's spec
 * says) is tested only with {@code --diskful}, on a disk of rocluster's layout for that spec, and a diskless one
 * only without: the two prove different things.
 */
public final class BootTestService {

    /** The test client's name when none is given: never a real host's. */
    public static final String DEFAULT_CLIENT = "boot-test.rocluster.invalid";

    /** The test disk's RW partition: room for the rwtab copies. */
    static final long TEST_RW = 64 * DiskLayout.MIB;
    /** The test disk's state partition: /var/log with a persistent journal (journald keeps to 10 % of it). */
    static final long TEST_STATE = 128 * DiskLayout.MIB;

    /** Serial console for the guest; appended last, so it wins over an image's console= for /dev/console. */
    static final String SERIAL_CONSOLE = "console=ttyS0,115200";

    private final MasterLayout layout;
    private final PrintStream progress;

    /**
     * @param layout   the master
     * @param progress where step lines go (the user's terminal)
     */
    public BootTestService(MasterLayout layout, PrintStream progress) {
        this.layout = layout;
        this.progress = progress;
    }

    /**
     * Boots {@code version} and writes its verdict.
     *
     * @param clientName the guest's DHCP host name; its state directory is created if missing
     * @param timeout    the longest the guest may take to report
     * @param mode       through PXE (the clients' path) or with QEMU's direct kernel boot
     * @param diskful    the version is a diskful image: boot it twice on a local disk laid out for its spec
     */
    public BootVerdict run(String version, String clientName, Duration timeout, BootMode mode, boolean diskful)
            throws IOException {
        ImageVersion.check(version);
        layout.requireInitialised();
        // Held from before the version is looked at until its verdict is written: gc leaves it alone.
        try (VersionUse use = VersionUse.share(layout, version)) {
            BootTestRequest request = prepare(version, clientName, timeout, mode, diskful);
            BootVerdict verdict = new BootTest(progress::println).run(request);
            BootTestResult.write(layout, version, verdict.toJson());
            return verdict;
        }
    }

    /**
     * Boots {@code version} as the registered client {@code fqdn} would: with its MAC and host name, through
     * iPXE and pxelinux, and the menus the master serves now (the default group's as pxelinux.cfg/default,
     * its group's as pxelinux.cfg/01-MAC when it has one), rendered as promote renders them. It passes only
     * when the guest's root is {@code version}'s; when another version booted, the verdict says which and
     * why, and {@code images/VERSION/boot-test.json} is left as it was (the image was not what booted).
     */
    public BootVerdict runAsClient(String version, String fqdn, Duration timeout) throws IOException {
        ImageVersion.check(version);
        layout.requireInitialised();
        try (VersionUse use = VersionUse.share(layout, version)) {
            ClientsService.BootPath path = new ClientsService(layout, progress).bootPath(fqdn);
            BootTestRequest request = prepareAsClient(version, path, timeout);
            BootVerdict verdict = new BootTest(progress::println).run(request);
            String booted = bootedVersion(verdict, request);
            if (booted != null && !booted.equals(version)) {
                String by = path.servedBy().equals(path.group()) && !path.group().equals("default")
                        ? "its group " + path.group() : "the default group";
                String reason = fqdn + " booted " + booted + ", which " + by + " runs, not " + version + ": promote "
                        + version + (path.group().equals("default") ? "" : " --group " + path.group()) + " first, or "
                        + "boot-test " + booted + " --client " + fqdn;
                return new BootVerdict(verdict.version(), false, reason, verdict.mode(), verdict.startedAt(),
                        verdict.durationSeconds(), verdict.facts());
            }
            BootTestResult.write(layout, version, verdict.toJson());
            return verdict;
        }
    }

    /** The version whose root the guest mounted, from the verdict's root source, or null. */
    static String bootedVersion(BootVerdict verdict, BootTestRequest request) {
        if (verdict.facts() == null || verdict.facts().root() == null || verdict.facts().root().source() == null) {
            return null;
        }
        String source = verdict.facts().root().source();
        String prefix = ":" + request.imagesPseudo() + "/";
        int at = source.indexOf(prefix);
        if (at < 0 || !source.endsWith("/root")) {
            return null;
        }
        String v = source.substring(at + prefix.length(), source.length() - "/root".length());
        return ImageVersion.isValid(v) ? v : null;
    }

    BootTestRequest prepareAsClient(String version, ClientsService.BootPath path, Duration timeout)
            throws IOException {
        BootTestRequest base = prepare(version, path.fqdn(), timeout, BootMode.PXE, false);
        MasterConfig config = MasterConfig.read(layout.config());
        PxeSettings settings = config.pxeSettings().withExtraArgs(List.of(SERIAL_CONSOLE, BootTestRequest.TOKEN_ARGUMENT + base.token()));
        MacAddress mac = MacAddress.parse(path.mac());
        Map<String, Path> tftp = new java.util.HashMap<>(base.tftpFiles());
        List<BootImage> fallback = images(path.fallbackMenu(), tftp);
        List<ClientMenu> own = path.ownMenu().isEmpty() ? List.of()
                : List.of(new ClientMenu(mac, path.fqdn(), path.group(), images(path.ownMenu(), tftp)));
        ServedConfigs served = PxeConfigRenderer.render(settings, fallback, "boot test as " + path.fqdn(), own);
        Map<String, String> clientConfigs = own.isEmpty() ? Map.of()
                : Map.of(mac.pxelinuxName(), served.perClient().get(mac).pxelinux());
        return new BootTestRequest(version, base.imagesDir(), base.stateDir(), base.clientRoot(), base.serverAddress(),
                path.fqdn(), BootMode.PXE, base.kernel(), base.initrd(), base.kernelCmdline(),
                served.fallback().pxelinux(), tftp, base.token(), timeout,
                layout.image(version).resolve("boot-test-" + path.fqdn() + ".log"), base.kernelVersion(), null, mac.text(),
                clientConfigs);
    }

    /** Boot images of {@code menu}, their kernels and initramfs files added to the TFTP tree. */
    private List<BootImage> images(List<String> menu, Map<String, Path> tftp) {
        List<BootImage> out = new java.util.ArrayList<>();
        for (String v : menu) {
            DeployRecord d = DeployRecord.read(layout, v);
            BootImage image = new BootImage(v, d.kernelCmdline(), d.nfsOptions());
            tftp.put(image.kernelPath(), firstExisting(layout.tftpImage(v).resolve("vmlinuz"), layout.image(v).resolve("boot/vmlinuz")));
            tftp.put(image.initrdPath(), firstExisting(layout.tftpImage(v).resolve("initramfs.img"),
                    layout.image(v).resolve("boot/initramfs.img")));
            out.add(image);
        }
        return out;
    }

    /** Everything up to the boot: checks, the client's state directory, the menu under test, the request. */
    BootTestRequest prepare(String version, String clientName, Duration timeout, BootMode mode, boolean diskful)
            throws IOException {
        ImageVersion.check(version);
        layout.requireInitialised();
        MasterConfig config = MasterConfig.read(layout.config());
        layout.requireDeployed(version);
        DeployRecord deployed = DeployRecord.read(layout, version);
        String client = clientName == null ? DEFAULT_CLIENT : ClientsService.checkFqdn(clientName);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new RoclusterException("--timeout must be a positive number of seconds");
        }
        DiskLayout disk = disk(version, diskful);
        if (disk == null) {
            // The image mounts CLIENTSTATE/$HOSTNAME, which must exist (the test's client is not registered).
            new ClientsService(layout, progress).ensureStateDirectories(List.of(client));
        }

        String token = token();
        PxeSettings settings = config.pxeSettings().withExtraArgs(List.of(SERIAL_CONSOLE, BootTestRequest.TOKEN_ARGUMENT + token));
        BootImage image = new BootImage(version, deployed.kernelCmdline(), deployed.nfsOptions());
        String pxelinux = PxeConfigRenderer.render(settings, List.of(image), "boot test of " + version).pxelinux();
        Path kernel = layout.image(version).resolve("boot/vmlinuz");
        Path initrd = layout.image(version).resolve("boot/initramfs.img");
        // PXE fetches what clients fetch: the tftpboot copies (hardlinks of boot/ since deploy).
        Path tftpKernel = firstExisting(layout.tftpImage(version).resolve("vmlinuz"), kernel);
        Path tftpInitrd = firstExisting(layout.tftpImage(version).resolve("initramfs.img"), initrd);

        Map<String, Path> tftp = PxeLoader.servedFrom(layout.tftpboot());
        tftp.put(image.kernelPath(), tftpKernel);
        tftp.put(image.initrdPath(), tftpInitrd);

        return new BootTestRequest(version, layout.images(), layout.state(), config.clientRootPath(),
                config.server(), client, mode, kernel, initrd, KernelCommandLine.of(settings, image), pxelinux,
                tftp, token, timeout, layout.image(version).resolve("boot-test.log"), deployed.kernelVersion(), disk);
    }

    /**
     * The test disk of a diskful version (its spec's labels and mount points, {@link #TEST_RW} and
     * {@link #TEST_STATE} big), null for a diskless one; a flag that does not fit the image is refused.
     */
    /** Whether deployed {@code version} is a diskful image (its boot test needs {@code --diskful}). */
    public boolean isDiskful(String version) {
        ImageSpec spec = ManifestJson.read(layout.manifest(version)).spec();
        return spec != null && spec.readonly().mode() == ImageSpec.Mode.DISKFUL;
    }

    private DiskLayout disk(String version, boolean diskful) {
        ImageSpec spec = ManifestJson.read(layout.manifest(version)).spec();
        if (spec == null) {
            throw new RoclusterException(layout.manifest(version) + " holds no spec: deploy an artefact built by rocluster build");
        }
        boolean isDiskful = spec.readonly().mode() == ImageSpec.Mode.DISKFUL;
        if (isDiskful && !diskful) {
            throw new RoclusterException("version " + version + " is a diskful image (readonly.mode: diskful): its clients keep "
                    + "their RW area and state on local partitions labelled " + spec.readonly().rwLabel() + " and "
                    + spec.readonly().stateLabel() + "; run rocluster boot-test " + version + " --diskful to give the guest "
                    + "such a disk");
        }
        if (!isDiskful && diskful) {
            throw new RoclusterException("version " + version + " is a diskless image (readonly.mode: diskless): it uses no "
                    + "local disk; run rocluster boot-test " + version + " without --diskful");
        }
        return isDiskful ? DiskLayout.of(spec, TEST_RW, TEST_STATE) : null;
    }


    private static Path firstExisting(Path preferred, Path fallback) {
        return Files.isRegularFile(preferred) ? preferred : fallback;
    }

    private static String token() {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

package io.rocluster.boot;

import io.rocluster.RoclusterException;
import io.rocluster.master.BootTestResult;
import io.rocluster.master.ClientsService;
import io.rocluster.master.DeployRecord;
import io.rocluster.master.MasterConfig;
import io.rocluster.master.MasterLayout;
import io.rocluster.master.VersionUse;
import io.rocluster.serving.BootImage;
import io.rocluster.serving.KernelCommandLine;
import io.rocluster.serving.PxeConfigRenderer;
import io.rocluster.serving.PxeLoader;
import io.rocluster.serving.PxeSettings;
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
 * use ({@link VersionUse}), so gc keeps it until the verdict is written.
 */
public final class BootTestService {

    /** The test client's name when none is given: never a real host's. */
    public static final String DEFAULT_CLIENT = "boot-test.rocluster.invalid";

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
     */
    public BootVerdict run(String version, String clientName, Duration timeout, BootMode mode) throws IOException {
        ImageVersion.check(version);
        layout.requireInitialised();
        // Held from before the version is looked at until its verdict is written: gc leaves it alone.
        try (VersionUse use = VersionUse.share(layout, version)) {
            BootTestRequest request = prepare(version, clientName, timeout, mode);
            BootVerdict verdict = new BootTest(progress::println).run(request);
            BootTestResult.write(layout, version, verdict.toJson());
            return verdict;
        }
    }

    /** Everything up to the boot: checks, the client's state directory, the menu under test, the request. */
    BootTestRequest prepare(String version, String clientName, Duration timeout, BootMode mode) throws IOException {
        ImageVersion.check(version);
        layout.requireInitialised();
        MasterConfig config = MasterConfig.read(layout.config());
        layout.requireDeployed(version);
        DeployRecord deployed = DeployRecord.read(layout, version);
        String client = clientName == null ? DEFAULT_CLIENT : ClientsService.checkFqdn(clientName);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new RoclusterException("--timeout must be a positive number of seconds");
        }
        // clients add: the image mounts CLIENTSTATE/$HOSTNAME, which must exist.
        new ClientsService(layout, progress).add(List.of(client));

        String token = token();
        PxeSettings settings = config.pxeSettings().withExtraArgs(List.of(SERIAL_CONSOLE, "rocluster.boottest=" + token));
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
                tftp, token, timeout, layout.image(version).resolve("boot-test.log"), deployed.kernelVersion());
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

package io.rocluster.cli;

import io.rocluster.boot.BootMode;
import io.rocluster.boot.BootTestService;
import io.rocluster.boot.BootVerdict;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code rocluster boot-test VERSION}: boot a deployed version in QEMU over PXE and NFS, and judge it. */
@Command(name = "boot-test", mixinStandardHelpOptions = true,
        description = {
            "Boot a deployed version in QEMU the way clients do, and judge it.",
            "iPXE, pxelinux, kernel + initramfs, read-only NFS root from a private NFS-Ganesha on 127.0.0.1; "
                + "checks: multi-user reached, no failed units, rwtab paths writable, statetab paths persisted in "
                + "state/FQDN. Writes images/VERSION/boot-test.json (read by promote --require-boot-test) and "
                + "boot-test.log; exit 0 only on a pass.",
            "A diskful image needs --diskful: the guest gets a local disk with the spec's two labelled partitions "
                + "and boots twice on it; the reboot must find the state kept and the RW area wiped."})
public final class BootTestCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "VERSION", description = "A deployed version.")
    String version;

    @Option(names = "--client-name", paramLabel = "FQDN",
            description = "DHCP host name of the test client; its state directory is created if missing (diskless) "
                    + "(default: " + BootTestService.DEFAULT_CLIENT + ").")
    String clientName;

    @Option(names = "--client", paramLabel = "FQDN",
            description = "Boot as this registered client: its MAC, its host name, the menu the master serves it; "
                    + "pass only if VERSION is what it booted.")
    String client;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "900",
            description = "Seconds the guest may take to report (default: ${DEFAULT-VALUE}; TCG is slow).")
    long timeoutSeconds;

    @Option(names = "--direct-kernel",
            description = "Hand kernel and initramfs to QEMU instead of booting through iPXE and pxelinux (faster).")
    boolean directKernel;

    @Option(names = "--diskful",
            description = "For a diskful image: give the guest a local disk (RW and state partitions with the spec's "
                    + "labels) and boot it twice.")
    boolean diskful;

    @Option(names = "--json", description = "Print the verdict as JSON, as boot-test.json holds it (exit 1 still "
            + "means it failed).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (client != null && (clientName != null || directKernel || diskful)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--client boots as that client through PXE: leave out --client-name, --direct-kernel and --diskful");
        }
        BootTestService service = new BootTestService(master.layout(), System.err);
        BootVerdict v = client != null ? service.runAsClient(version, client, Duration.ofSeconds(timeoutSeconds))
                : service.run(version, clientName, Duration.ofSeconds(timeoutSeconds),
                        directKernel ? BootMode.DIRECT_KERNEL : BootMode.PXE, diskful);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(v.toJson());
        } else {
            v.summary().forEach(out::println);
        }
        out.flush();
        return v.passed() ? 0 : 1;
    }
}

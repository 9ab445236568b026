package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered serving configs in the real servers: NFS-Ganesha serves the EXPORT blocks of
 * {@code render ganesha} (read by libnfs's user-space client, since this kernel has no NFS client), and
 * dnsmasq accepts {@code render dnsmasq}. Needs the packages nfs-ganesha, nfs-ganesha-vfs, libnfs-utils
 * and dnsmasq-base.
 */
class ServingConfigIT {

    @TempDir
    Path tmp;

    private record Out(int code, String text) {}

    private static Out run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Out(p.exitValue(), text);
    }

    private static void requireTool(String path, String pkg) {
        assertThat(Path.of(path)).as(path + " (apt-get install " + pkg + ")").exists();
    }

    @Test
    void ganeshaServesImagesReadOnlyAndStateReadWriteToTheClientRangeOnly() throws Exception {
        requireTool("/usr/bin/ganesha.nfsd", "nfs-ganesha nfs-ganesha-vfs");
        requireTool("/usr/bin/nfs-cat", "libnfs-utils");
        Path masterDir = tmp.resolve("srv-master");
        MasterLayout layout = new MasterLayout(masterDir);
        new MasterInitService(layout, null).init("127.0.0.1", "127.0.0.0/8", 4, null, null, false);
        Files.createDirectories(layout.imageRoot("1.0").resolve("etc"));
        Files.writeString(layout.imageRoot("1.0").resolve("etc/motd"), "hello from 1.0\n");
        new ClientsService(layout, null).add(List.of("node01.example"));

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = tmp.resolve("ganesha.conf");
        Files.writeString(conf, "NFS_CORE_PARAM { Protocols = 4; NFS_Port = " + port + "; Bind_addr = 127.0.0.1; "
                + "Enable_NLM = false; Enable_RQUOTA = false; }\nNFSv4 { Graceless = true; }\n"
                + new ServingConfigService(layout).ganeshaExports());
        Process ganesha = new ProcessBuilder("/usr/bin/ganesha.nfsd", "-F", "-f", conf.toString(), "-L",
                tmp.resolve("ganesha.log").toString(), "-p", tmp.resolve("ganesha.pid").toString(), "-N", "NIV_EVENT")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("ganesha.out").toFile()).start();
        try {
            waitForPort(port, ganesha);
            String u = "?version=4&nfsport=" + port;
            // Clients mount the client-side paths (clientRoot /data/cluster), not where the master really is.
            Out cat = run(List.of("nfs-cat", "nfs://127.0.0.1/data/cluster/images/1.0/root/etc/motd" + u));
            assertThat(cat.text()).contains("hello from 1.0");
            Path local = Files.writeString(tmp.resolve("log.txt"), "state written over NFS\n");
            Out toState = run(List.of("nfs-cp", local.toString(),
                    "nfs://127.0.0.1/data/cluster/state/node01.example/log.txt" + u));
            assertThat(toState.code()).as(toState.text()).isZero();
            assertThat(layout.state().resolve("node01.example/log.txt")).hasContent("state written over NFS");
            Out toImages = run(List.of("nfs-cp", local.toString(), "nfs://127.0.0.1/data/cluster/images/1.0/x" + u));
            assertThat(toImages.code()).isNotZero();
            assertThat(toImages.text()).contains("NFS4ERR_ROFS");
            assertThat(layout.image("1.0").resolve("x")).doesNotExist();
        } finally {
            ganesha.destroy();
            ganesha.waitFor(20, TimeUnit.SECONDS);
            ganesha.destroyForcibly();
        }
        String log = Files.readString(tmp.resolve("ganesha.log"));
        assertThat(log).doesNotContain("CONFIG :CRIT").doesNotContain("protocol is specified for a CLIENT block");

        // Outside the client range the exports do not exist at all.
        MasterLayout other = new MasterLayout(tmp.resolve("other"));
        new MasterInitService(other, null).init("10.0.2.2", "10.0.2.0/24", 4, null, null, false);
        Files.createDirectories(other.imageRoot("1.0"));
        Files.writeString(conf, "NFS_CORE_PARAM { Protocols = 4; NFS_Port = " + port + "; Bind_addr = 127.0.0.1; "
                + "Enable_NLM = false; Enable_RQUOTA = false; }\nNFSv4 { Graceless = true; }\n"
                + new ServingConfigService(other).ganeshaExports());
        ganesha = new ProcessBuilder("/usr/bin/ganesha.nfsd", "-F", "-f", conf.toString(), "-L",
                tmp.resolve("ganesha2.log").toString(), "-p", tmp.resolve("ganesha.pid").toString(), "-N", "NIV_EVENT")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("ganesha2.out").toFile()).start();
        try {
            waitForPort(port, ganesha);
            Out denied = run(List.of("nfs-ls", "nfs://127.0.0.1/data/cluster/images/1.0/root?version=4&nfsport=" + port));
            assertThat(denied.code()).isNotZero();
            assertThat(denied.text()).contains("NFS4ERR_NOENT");
        } finally {
            ganesha.destroy();
            ganesha.waitFor(20, TimeUnit.SECONDS);
            ganesha.destroyForcibly();
        }
    }

    @Test
    void dnsmasqAcceptsTheProxyDhcpConfig() throws Exception {
        requireTool("/usr/sbin/dnsmasq", "dnsmasq-base");
        MasterLayout layout = new MasterLayout(tmp.resolve("m"));
        new MasterInitService(layout, null).init("10.0.2.2", "10.0.2.0/24", 4, null, null, false);
        Path conf = Files.writeString(tmp.resolve("rocluster.conf"), new ServingConfigService(layout).dnsmasq());
        Out test = run(List.of("/usr/sbin/dnsmasq", "--test", "--conf-file=" + conf));
        assertThat(test.code()).as(test.text()).isZero();
        assertThat(test.text()).contains("syntax check OK");
        // The check is real: a broken line fails it.
        Files.writeString(conf, "pxe-service=tag:!ipxe,x86PC\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(run(List.of("/usr/sbin/dnsmasq", "--test", "--conf-file=" + conf)).code()).isNotZero();
    }

    private static void waitForPort(int port, Process p) throws Exception {
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            if (!p.isAlive()) {
                throw new AssertionError("ganesha.nfsd exited with " + p.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                errors.add(e.getMessage());
                Thread.sleep(100);
            }
        }
        throw new AssertionError("ganesha.nfsd did not listen on " + port + ": " + errors.get(errors.size() - 1));
    }
}

package io.rocluster.registry;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OCI registry for the tests: Debian's docker-registry (distribution 2.8) serving on 127.0.0.1 at a
 * free port, with filesystem storage in a temporary directory, started and stopped by the test (as the boot
 * test starts NFS-Ganesha).
 */
final class RegistryServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Path dir;
    private final int port;
    private final Process process;

    private RegistryServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Starts a registry storing under {@code dir}/storage; waits until /v2/ answers. */
    static RegistryServer start(Path dir) throws Exception {
        return start(dir, freePort());
    }

    static RegistryServer start(Path dir, int port) throws Exception {
        Files.createDirectories(dir.resolve("storage"));
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: error
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("storage"), port));
        Process p = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        RegistryServer s = new RegistryServer(dir, port, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v2/").toURL().openConnection();
                if (c.getResponseCode() == 200) {
                    return s;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                s.close();
                throw new IllegalStateException("docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
            }
            Thread.sleep(100);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    Path storage() {
        return dir.resolve("storage");
    }

    /** Bytes of every file in the registry's storage. */
    long storageBytes() throws IOException {
        if (!Files.isDirectory(storage())) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(storage())) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** The file holding a blob's bytes in the filesystem driver's layout. */
    Path blobData(String digest) {
        String hex = digest.substring("sha256:".length());
        return storage().resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

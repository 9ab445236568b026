package io.rocluster.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.rocluster.RoclusterException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;

/**
 * The Docker engine rocluster builds with, found the way Testcontainers finds one (DOCKER_HOST,
 * ~/.testcontainers.properties, the local socket…).
 *
 * <p>It deliberately does not go through {@code DockerClientFactory}: that starts Testcontainers' Ryuk
 * reaper, which must be pulled from a registry (there is none here), and Testcontainers 2.0.5 lets only the
 * environment variable {@code TESTCONTAINERS_RYUK_DISABLED} turn it off (a {@code ryuk.disabled} entry in a
 * classpath testcontainers.properties is ignored). rocluster removes its own containers instead
 * ({@link BuilderContainer#close()}), and never pulls.
 */
public final class DockerEngine {

    private static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

    private final DockerClient client;
    private final Path socket;

    private DockerEngine(DockerClient client, Path socket) {
        this.client = client;
        this.socket = socket;
    }

    /**
     * Connects to the engine.
     *
     * @throws RoclusterException in one line saying how to start one when none answers
     */
    public static DockerEngine connect() {
        String host = System.getenv("DOCKER_HOST");
        boolean unix = host == null || host.isBlank() || host.startsWith("unix://");
        Path socket = unix ? socketPath(host) : null;
        if (unix && !socketAnswers(socket)) {
            throw noEngine();
        }
        try {
            List<DockerClientProviderStrategy> strategies = new ArrayList<>();
            ServiceLoader.load(DockerClientProviderStrategy.class).forEach(strategies::add);
            DockerClient c = DockerClientProviderStrategy.getFirstValidStrategy(strategies).getDockerClient();
            c.pingCmd().exec();
            return new DockerEngine(c, socket);
        } catch (RuntimeException e) {
            throw noEngine();
        }
    }

    private static RoclusterException noEngine() {
        return new RoclusterException("no Docker engine answers: start one (systemctl start docker, or dockerd &) and run again");
    }

    private static Path socketPath(String host) {
        return host == null || host.isBlank() ? DEFAULT_SOCKET : Path.of(host.substring("unix://".length()));
    }

    private static boolean socketAnswers(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The engine's Unix socket, or null when it is reached otherwise (DOCKER_HOST=tcp://…). */
    Path socket() {
        return socket;
    }

    /** The docker-java client, for the container package's own classes. */
    DockerClient client() {
        return client;
    }

    /** Local images carrying label {@code label} (any value). */
    public List<LocalImage> imagesWithLabel(String label) {
        return client.listImagesCmd().withLabelFilter(label).exec().stream()
                .map(i -> new LocalImage(i.getId(), i.getRepoTags() == null ? List.of() : List.of(i.getRepoTags()),
                        i.getLabels(), i.getSize() == null ? 0 : i.getSize(), i.getCreated() == null ? 0 : i.getCreated()))
                .toList();
    }

    /**
     * Removes image reference {@code reference} (a tag; the image goes when no other tag or child image needs it).
     *
     * @return false when Docker refused because a container or a child image still uses it
     */
    public boolean removeImage(String reference) {
        try {
            client.removeImageCmd(reference).withForce(false).withNoPrune(false).exec();
            return true;
        } catch (com.github.dockerjava.api.exception.ConflictException e) {
            return false;
        } catch (NotFoundException e) {
            return true;
        }
    }

    /** The id ({@code sha256:…}) of a local image, if it exists; never pulls. */
    public Optional<String> imageId(String reference) {
        try {
            InspectImageResponse r = client.inspectImageCmd(reference).exec();
            return Optional.ofNullable(r.getId());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }
}

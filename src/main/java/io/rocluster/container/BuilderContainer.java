package io.rocluster.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import io.rocluster.RoclusterException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A running builder container: stage scripts are executed in it with their output streamed line by line,
 * inputs are copied in and the client root is streamed out through the Docker archive API, and its state can
 * be committed as an image (the stage cache).
 *
 * <p>It runs with the capabilities SYS_ADMIN (bind mounts and chroot work inside) and MKNOD (device nodes in
 * the root), never {@code --privileged}, which fails in the sandboxes rocluster is built in. Its image is never
 * pulled: it must exist locally. {@link #close()} removes it unless {@link #keep()} was called.
 */
public final class BuilderContainer implements AutoCloseable {

    /** Label on every builder container, so that leftovers of a killed build can be found. */
    public static final String LABEL = "io.rocluster.builder-container";

    /** Label: "host pid" of the rocluster process that owns the container, or "kept" (--keep-container). */
    static final String OWNER_LABEL = "io.rocluster.owner";

    private final DockerClient client;
    private final java.nio.file.Path socket;
    private final String id;
    private boolean keep;
    private boolean closed;

    private BuilderContainer(DockerClient client, java.nio.file.Path socket, String id) {
        this.client = client;
        this.socket = socket;
        this.id = id;
    }

    /**
     * Creates and starts a container of {@code image} that idles until stages are executed in it. Builder
     * containers left by a build of this host that was killed (SIGKILL, power loss) are removed first.
     *
     * @param keep whether the container outlives the build ({@code --keep-container})
     */
    public static BuilderContainer start(DockerEngine engine, String image, String purpose, boolean keep) {
        DockerClient c = engine.client();
        removeOrphans(c);
        String id = c.createContainerCmd(image)
                .withCmd("sleep", "infinity")
                .withLabels(Map.of(LABEL, purpose, OWNER_LABEL, keep ? KEPT : ownerTag()))
                .withHostConfig(HostConfig.newHostConfig().withCapAdd(Capability.SYS_ADMIN, Capability.MKNOD))
                .exec()
                .getId();
        BuilderContainer bc = new BuilderContainer(c, engine.socket(), id);
        bc.keep = keep;
        try {
            c.startContainerCmd(id).exec();
        } catch (DockerException e) {
            bc.close();
            throw new RoclusterException("cannot start a builder container of " + image + ": " + e.getMessage());
        }
        return bc;
    }

    private static final String KEPT = "kept";

    /** This process as an owner: host name and pid, so that only this host's dead builds are cleaned. */
    private static String ownerTag() {
        return hostName() + " " + ProcessHandle.current().pid();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** Removes builder containers whose owning rocluster process, on this host, no longer runs. */
    static void removeOrphans(DockerClient c) {
        String host = hostName();
        for (var container : c.listContainersCmd().withShowAll(true).withLabelFilter(List.of(LABEL)).exec()) {
            String owner = container.getLabels() == null ? null : container.getLabels().get(OWNER_LABEL);
            if (owner == null || owner.equals(KEPT)) {
                continue;
            }
            int space = owner.lastIndexOf(' ');
            if (space < 0 || !owner.substring(0, space).equals(host)) {
                continue;
            }
            long pid;
            try {
                pid = Long.parseLong(owner.substring(space + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            try {
                c.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
            } catch (DockerException e) {
                // Another build may be removing it at the same moment; what is left goes next time.
            }
        }
    }

    public String id() {
        return id;
    }

    /** Leaves the container in place after {@link #close()} (for {@code --keep-container}). */
    public void keep() {
        keep = true;
    }

    /**
     * Runs {@code command} in the container and streams its output, stdout and stderr, line by line.
     *
     * @return the exit code
     */
    public int exec(List<String> command, Map<String, String> env, Consumer<String> lines) {
        ExecCreateCmdResponse exec = client.execCreateCmd(id)
                .withCmd(command.toArray(String[]::new))
                .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec();
        LineSplitter out = new LineSplitter(lines);
        LineSplitter err = new LineSplitter(lines);
        try {
            client.execStartCmd(exec.getId()).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    (frame.getStreamType() == StreamType.STDERR ? err : out).accept(frame.getPayload());
                }
            }).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoclusterException("interrupted while running " + String.join(" ", command));
        }
        out.flush();
        err.flush();
        Long code = client.inspectExecCmd(exec.getId()).exec().getExitCodeLong();
        return code == null ? -1 : code.intValue();
    }

    /** Runs {@code command} and returns its output; a non-zero exit is an error carrying that output. */
    public String execChecked(List<String> command) {
        StringBuilder sb = new StringBuilder();
        int code = exec(command, Map.of(), l -> sb.append(l).append('\n'));
        if (code != 0) {
            throw new RoclusterException(String.join(" ", command) + " failed in the builder (exit " + code + "): "
                    + sb.toString().strip().replace('\n', ' '));
        }
        return sb.toString();
    }

    /** Extracts an (uncompressed) tar archive into directory {@code dir} of the container, which must exist. */
    public void copyIn(byte[] tar, String dir) {
        client.copyArchiveToContainerCmd(id).withRemotePath(dir).withTarInputStream(new ByteArrayInputStream(tar)).exec();
    }

    /**
     * Streams {@code path} of the container as a tar archive (names start with the path's last component).
     * Works on a stopped container too; nothing is copied to the host first. On a local engine the archive
     * endpoint is read straight from the Unix socket ({@link UnixSocketArchive}: an order of magnitude faster
     * than docker-java's transport for a whole root).
     */
    public InputStream streamOut(String path) throws java.io.IOException {
        if (socket != null) {
            return UnixSocketArchive.open(socket, id, path);
        }
        return client.copyArchiveFromContainerCmd(id, path).exec();
    }

    /**
     * Commits the container's file system as image {@code repository:tag} with {@code labels}.
     *
     * @return the new image's id
     */
    public String commit(String repository, String tag, Map<String, String> labels) {
        return client.commitCmd(id).withRepository(repository).withTag(tag).withLabels(labels).withPause(true).exec();
    }

    /** Removes the container (with its file system) unless it is kept. */
    @Override
    public void close() {
        if (closed || keep) {
            return;
        }
        closed = true;
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (DockerException e) {
            // Already gone (removed by hand, or the engine restarted): nothing left to clean.
        }
    }

    /** Splits a byte stream into UTF-8 lines; a partial last line is kept until more bytes or flush. */
    private static final class LineSplitter {
        private final Consumer<String> lines;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

        LineSplitter(Consumer<String> lines) {
            this.lines = lines;
        }

        synchronized void accept(byte[] bytes) {
            for (byte b : bytes) {
                if (b == '\n') {
                    emit();
                } else {
                    pending.write(b);
                }
            }
        }

        synchronized void flush() {
            if (pending.size() > 0) {
                emit();
            }
        }

        private void emit() {
            String line = pending.toString(java.nio.charset.StandardCharsets.UTF_8);
            pending.reset();
            // Progress output of apt/debootstrap redraws with carriage returns: keep the last state.
            int cr = line.lastIndexOf('\r', line.length() - 2);
            lines.accept(cr >= 0 ? line.substring(cr + 1).stripTrailing() : line.stripTrailing());
        }
    }
}

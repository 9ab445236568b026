package io.rocluster.master;

import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import io.rocluster.spec.HostName;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Per-client state directories, {@code state/<fqdn>/}: a diskless client mounts
 * {@code CLIENTSTATE/$HOSTNAME} read-write at boot (its statetab paths, e.g. /var/log, live there), and
 * the mount fails if the directory does not exist, so each client must be added once.
 */
public final class ClientsService {

    /**
     * One client.
     *
     * @param fqdn     the client's host name as DHCP gives it
     * @param path     its state directory
     * @param modified when anything was last written at its top level (null if unknown)
     */
    public record Client(String fqdn, Path path, FileTime modified) {}

    private final MasterLayout layout;
    private final PrintStream notices;

    public ClientsService(MasterLayout layout, PrintStream notices) {
        this.layout = layout;
        this.notices = notices;
    }

    /** Checks a client's host name ({@link HostName}), with the fix a client needs. */
    public static String checkFqdn(String fqdn) {
        if (!HostName.isValid(fqdn)) {
            throw new RoclusterException("'" + fqdn + "' is not a host name: use the name DHCP gives the client, "
                    + "e.g. node01.cluster.example");
        }
        return fqdn;
    }

    /** Creates the state directories that are missing; returns the ones created. */
    public List<Client> add(List<String> fqdns) {
        fqdns.forEach(ClientsService::checkFqdn);
        List<Client> created = new ArrayList<>();
        try (MasterSession s = MasterSession.open(layout, notices)) {
            Durable.ensureDirectory(layout.state());
            for (String fqdn : fqdns) {
                Path dir = layout.state().resolve(fqdn);
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new RoclusterException(dir + " exists and is not a directory: remove it and add " + fqdn + " again");
                }
                // mkdir is atomic: the directory either exists whole (it is empty) or not at all.
                Files.createDirectory(dir);
                Durable.syncDirectory(layout.state());
                created.add(new Client(fqdn, dir, Files.getLastModifiedTime(dir)));
            }
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All clients with a state directory, sorted by name. */
    public List<Client> list() {
        layout.requireInitialised();
        if (!Files.isDirectory(layout.state())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(layout.state())) {
            List<Client> out = new ArrayList<>();
            for (Path p : s.sorted().toList()) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(new Client(p.getFileName().toString(), p, Files.getLastModifiedTime(p)));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.rocluster.master;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.rocluster.RoclusterException;
import io.rocluster.serving.Ipv4Range;
import io.rocluster.serving.PxeSettings;
import io.rocluster.spec.HostName;
import java.util.List;

/**
 * {@code master.yaml}: how clients reach this master. Written by {@code rocluster master init}, read by
 * every command that renders boot or export configuration.
 *
 * @param server     the master's address as clients reach it (NFS and TFTP); an image's
 *                   {@code nfs.server} must be the same, since the image mounts its state from there
 * @param clients    the client network, IPv4 CIDR (exports, proxy-DHCP)
 * @param nfsVersion 3 or 4: the NFS version clients mount their root with ({@code root=nfs:} / {@code nfs4:})
 * @param clientRoot the master root path as clients see it over NFS; default /data/cluster, which is also
 *                   the spec's default {@code nfs.masterRoot} (images bake it into CLIENTSTATE)
 * @param pxe        boot menu options
 */
public record MasterConfig(String server, String clients, int nfsVersion, String clientRoot, Pxe pxe) {

    /** The client-side root when none is given: the reference procedure's path. */
    public static final String DEFAULT_CLIENT_ROOT = "/data/cluster";

    /**
     * Boot menu options.
     *
     * @param timeoutSeconds  seconds the menu waits before booting the promoted version (0: no menu)
     * @param previousEntries how many earlier versions the menu offers after the promoted one
     * @param menu            pxelinux menu (menu.c32) rather than a {@code boot:} prompt
     */
    public record Pxe(int timeoutSeconds, int previousEntries, boolean menu) {

        /** Seconds the menu waits when master.yaml or {@code master init} says nothing. */
        public static final int DEFAULT_TIMEOUT_SECONDS = 5;
        private static final int DEFAULT_PREVIOUS_ENTRIES = 3;

        @JsonCreator
        public Pxe(@JsonProperty("timeoutSeconds") Integer timeoutSeconds,
                @JsonProperty("previousEntries") Integer previousEntries,
                @JsonProperty("menu") Boolean menu) {
            this(timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds.intValue(),
                    previousEntries == null ? DEFAULT_PREVIOUS_ENTRIES : previousEntries.intValue(),
                    menu == null || menu.booleanValue());
        }

        /** The defaults: 5 s, three earlier versions, pxelinux menu. */
        public static Pxe defaults() {
            return new Pxe(null, null, null);
        }

        /** These options with another timeout. */
        public Pxe withTimeoutSeconds(int seconds) {
            return new Pxe(seconds, previousEntries, menu);
        }
    }

    @JsonCreator
    static MasterConfig fromJson(@JsonProperty("server") String server, @JsonProperty("clients") String clients,
            @JsonProperty("nfsVersion") Integer nfsVersion, @JsonProperty("clientRoot") String clientRoot,
            @JsonProperty("pxe") Pxe pxe) {
        return new MasterConfig(server, clients, nfsVersion == null ? 4 : nfsVersion,
                clientRoot == null ? DEFAULT_CLIENT_ROOT : clientRoot, pxe == null ? Pxe.defaults() : pxe);
    }

    /** Reads and validates master.yaml; a mistake is one line naming the key (and line) and the fix. */
    public static MasterConfig read(java.nio.file.Path file) {
        try {
            MasterConfig c = MasterJson.YAML.readValue(file.toFile(), MasterConfig.class);
            if (c == null) {
                throw new RoclusterException(file + " is empty: run rocluster master init again with --force");
            }
            return c.validate();
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            int line = lineOfKey(file, e.getPropertyName());
            throw new RoclusterException(file + " line " + line + ": unknown key '"
                    + e.getPropertyName() + "': allowed are " + e.getKnownPropertyIds());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            String where = e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr();
            throw new RoclusterException(file + where + ": " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + ": fix the file or run rocluster master init again with --force");
        } catch (java.io.IOException e) {
            throw new RoclusterException("cannot read " + file + ": " + e.getMessage());
        }
    }

    // Jackson buffers creator properties, so its location points past the key; find the key's line instead.
    private static int lineOfKey(java.nio.file.Path file, String key) {
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*:.*")) {
                    return i + 1;
                }
            }
        } catch (java.io.IOException ignored) {
            // Fall through: no line number then.
        }
        return 0;
    }

    /** Checks every field; the error names the field, the value and what is allowed. */
    public MasterConfig validate() {
        if (server == null || server.isBlank()) {
            throw new RoclusterException("master.yaml: server is missing: give the address clients reach the master at");
        }
        if (!HostName.isValid(server)) {
            throw new RoclusterException("master.yaml: server '" + server + "' is not a host name or IPv4 address");
        }
        if (clients == null) {
            throw new RoclusterException("master.yaml: clients is missing: give the client network, e.g. 10.0.2.0/24");
        }
        Ipv4Range.parse(clients);
        if (nfsVersion != 3 && nfsVersion != 4) {
            throw new RoclusterException("master.yaml: nfsVersion " + nfsVersion + " is not 3 or 4");
        }
        if (!clientRoot.startsWith("/") || clientRoot.contains("..") || clientRoot.contains("//")
                || clientRoot.chars().anyMatch(c -> c <= ' ' || c == ':')) {
            throw new RoclusterException("master.yaml: clientRoot '" + clientRoot
                    + "' must be an absolute path without '..', '//', blanks or ':'");
        }
        if (pxe.timeoutSeconds() < 0 || pxe.timeoutSeconds() > 3600) {
            throw new RoclusterException("master.yaml: pxe.timeoutSeconds must be 0 to 3600");
        }
        if (pxe.previousEntries() < 0 || pxe.previousEntries() > 50) {
            throw new RoclusterException("master.yaml: pxe.previousEntries must be 0 to 50");
        }
        return this;
    }

    /** The client-side root without a trailing slash. */
    public String clientRootPath() {
        return clientRoot.length() > 1 && clientRoot.endsWith("/")
                ? clientRoot.substring(0, clientRoot.length() - 1) : clientRoot;
    }

    /** The client range. */
    public Ipv4Range clientRange() {
        return Ipv4Range.parse(clients);
    }

    /** Settings for the boot menu renderer. */
    public PxeSettings pxeSettings() {
        return new PxeSettings(server, clientRootPath(), nfsVersion, pxe.timeoutSeconds(), pxe.menu(), List.of());
    }

    /** The YAML text, with a comment per field. */
    public String toYaml() {
        return "# rocluster master configuration (written by rocluster master init; edit, then run rocluster promote\n"
                + "# again for boot menus to pick up changes).\n"
                + "# Address clients reach this master at, for NFS and TFTP. Images must be built with the same\n"
                + "# nfs.server: they mount their state directory from it.\n"
                + "server: " + server + "\n"
                + "# Client network (IPv4 CIDR): NFS exports and proxy-DHCP answer it.\n"
                + "clients: " + clients + "\n"
                + "# NFS version clients mount their root with: 4 (root=nfs4:) or 3 (root=nfs:).\n"
                + "nfsVersion: " + nfsVersion + "\n"
                + "# This master's root as clients see it over NFS (the spec's nfs.masterRoot).\n"
                + "clientRoot: " + clientRoot + "\n"
                + "pxe:\n"
                + "  # Seconds the boot menu waits before booting the promoted version (0: boot it at once).\n"
                + "  timeoutSeconds: " + pxe.timeoutSeconds() + "\n"
                + "  # Earlier versions offered in the menu after the promoted one (the console rollback path).\n"
                + "  previousEntries: " + pxe.previousEntries() + "\n"
                + "  # pxelinux menu (needs menu.c32, libutil.c32, libcom32.c32 in tftpboot) or a boot: prompt.\n"
                + "  menu: " + pxe.menu() + "\n";
    }
}

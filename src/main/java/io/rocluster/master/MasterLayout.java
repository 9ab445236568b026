package io.rocluster.master;

import io.rocluster.RoclusterException;
import io.rocluster.spec.ImageVersion;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where everything lives on a master. The root comes from {@code --master DIR}, else the
 * {@code ROCLUSTER_MASTER} environment variable, else {@code /data/cluster} (the reference procedure's
 * path).
 *
 * <pre>
 * master.yaml                      server, client range, NFS version, client-side root, PXE options
 * images/&lt;v&gt;/root/                 a deployed version's root (NFS-exported read-only)
 * images/&lt;v&gt;/boot/{vmlinuz,initramfs.img}
 * images/&lt;v&gt;/manifest.json        the artefact's manifest (per-file index: verify, dedup)
 * images/&lt;v&gt;/deploy.json          when and by whom it was deployed, what promote needs to boot it
 * images/&lt;v&gt;/SHA256SUMS           the artefact's checksums (verify checks the boot files with them)
 * images/&lt;v&gt;/boot-test.json       written by rocluster boot-test
 * state/&lt;fqdn&gt;/                    per-client state of diskless clients (NFS-exported read-write)
 * clients.json                     registered clients: MAC and node group
 * pins/&lt;v&gt;                        empty file: version pinned, gc never removes it
 * trusted-keys/&lt;KEYID&gt;.pub         minisign public keys whose signatures deploy accepts (master trust add)
 * tftpboot/                        TFTP root: pxelinux.0, *.c32, images/&lt;v&gt;/{vmlinuz,initramfs.img}
 * tftpboot/configs/g&lt;N&gt;/          one generation of boot configs + promotion.json
 * tftpboot/configs/current         symlink to the live generation: the one switch promote makes
 * tftpboot/pxelinux.cfg/default    symlink into configs/current (likewise grub/grub.cfg, boot.ipxe)
 * tftpboot/pxelinux.cfg/01-&lt;mac&gt;  symlink into configs/current for a client of a node group (likewise
 *                                  grub/grub.cfg-01-&lt;mac&gt;, ipxe/01-&lt;mac&gt;.ipxe)
 * active                           symlink to images/&lt;v&gt;, the default group's version
 * history.jsonl                    one JSON line per promote/rollback (of any group)
 * .lock                            serialises every command that changes the master
 * </pre>
 *
 * Hidden names ({@code .incoming-*}, {@code .trash-*}, {@code .tmp-*}) are work in progress; whatever
 * is left of them after a crash is removed by the next command, under the lock.
 *
 * @param root the master's root directory on this machine
 */
public record MasterLayout(Path root) {

    /** The reference procedure's master root. */
    public static final Path DEFAULT_ROOT = Path.of("/data/cluster");

    /** Environment variable naming the master root when {@code --master} is not given. */
    public static final String ENV = "ROCLUSTER_MASTER";

    public MasterLayout {
        root = root.toAbsolutePath().normalize();
    }

    /** The master root from the option, else the environment, else the default. */
    public static MasterLayout resolve(Path option, Map<String, String> env) {
        if (option != null) {
            return new MasterLayout(option);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new MasterLayout(Path.of(fromEnv));
        }
        return new MasterLayout(DEFAULT_ROOT);
    }

    public Path config() {
        return root.resolve("master.yaml");
    }

    public Path images() {
        return root.resolve("images");
    }

    public Path image(String version) {
        return images().resolve(ImageVersion.check(version));
    }

    public Path imageRoot(String version) {
        return image(version).resolve("root");
    }

    public Path deployRecord(String version) {
        return image(version).resolve("deploy.json");
    }

    public Path manifest(String version) {
        return image(version).resolve("manifest.json");
    }

    public Path bootTest(String version) {
        return image(version).resolve("boot-test.json");
    }

    /** The master's trusted signing keys (its own: never taken from an artefact). */
    public Path trustedKeys() {
        return root.resolve("trusted-keys");
    }

    public Path state() {
        return root.resolve("state");
    }

    public Path clients() {
        return root.resolve("clients.json");
    }

    public Path pins() {
        return root.resolve("pins");
    }

    public Path tftpboot() {
        return root.resolve("tftpboot");
    }

    public Path tftpImages() {
        return tftpboot().resolve("images");
    }

    public Path tftpImage(String version) {
        return tftpImages().resolve(ImageVersion.check(version));
    }

    public Path configs() {
        return tftpboot().resolve("configs");
    }

    public Path currentConfigs() {
        return configs().resolve("current");
    }

    public Path active() {
        return root.resolve("active");
    }

    public Path history() {
        return root.resolve("history.jsonl");
    }

    public Path lock() {
        return root.resolve(".lock");
    }

    /** The file a command using a version for a long time (boot-test) holds a shared lock on; see {@link VersionUse}. */
    public Path inUse(String version) {
        return root.resolve(".in-use").resolve(ImageVersion.check(version));
    }

    /**
     * Fails with the fix unless {@code version} is deployed here: its directory exists (deploy renames it into
     * place last, so it exists only complete).
     */
    public void requireDeployed(String version) {
        if (!Files.isDirectory(image(version), LinkOption.NOFOLLOW_LINKS)) {
            throw new RoclusterException("version " + version + " is not deployed on " + root
                    + ": rocluster list shows what is; deploy it first with rocluster deploy ARTEFACT");
        }
    }

    /** Fails with the fix when the master was never initialised. */
    public void requireInitialised() {
        if (!Files.isRegularFile(config())) {
            throw new RoclusterException("no rocluster master at " + root + " (no master.yaml): run rocluster master init "
                    + "--master " + root + " --server ADDR --clients CIDR, or point --master / " + ENV + " at one");
        }
    }
}

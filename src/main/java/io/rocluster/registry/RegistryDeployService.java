package io.rocluster.registry;

import io.rocluster.RoclusterException;
import io.rocluster.archive.FileTrees;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactStore;
import io.rocluster.artefact.Sha256Sums;
import io.rocluster.master.DeployService;
import io.rocluster.master.MasterLayout;
import io.rocluster.master.TrustService;
import io.rocluster.spec.ImageVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code rocluster deploy REF}: a version from a registry onto the master. It is pulled into an ordinary
 * artefact directory under {@code <master>/.pulls/} (on the master's file system, written aside and renamed
 * when complete), then deployed by {@link DeployService} exactly as a local artefact is: every check a
 * local artefact gets (SHA256SUMS, the manifest rules, the NFS settings, signature and trust) applies.
 *
 * <p>The last version pulled stays in {@code .pulls/} as the source of shared rootfs frames: the next pull
 * of the same image fetches only the frames that changed. Older pulled versions are removed.
 */
public final class RegistryDeployService {

    /**
     * What a deploy from a registry did.
     *
     * @param version  the version
     * @param pull     what the pull did, or null when the version was already deployed from this artefact
     * @param deploy   what deploy did, or null likewise
     */
    public record Result(String version, PullService.Result pull, DeployService.Result deploy) {
        public boolean changed() {
            return deploy != null && deploy.changed();
        }
    }

    static final String PULLS = ".pulls";

    private final MasterLayout layout;
    private final Map<String, String> env;
    private final PrintStream notices;

    public RegistryDeployService(MasterLayout layout, Map<String, String> env, PrintStream notices) {
        this.layout = layout;
        this.env = env;
        this.notices = notices;
    }

    /**
     * Deploys the version {@code ref} names.
     *
     * @param allowUnsigned as deploy's --allow-unsigned: on a master that trusts keys, deploy it without a
     *                      trusted signature anyway
     */
    public Result deploy(Reference ref, boolean allowUnsigned, DeployService.Progress progress) {
        return deploy(new PullService(env, notices).resolve(ref), allowUnsigned, progress);
    }

    /** Deploys a resolved version; a version already deployed from the same artefact costs no transfer. */
    Result deploy(PullService.Remote remote, boolean allowUnsigned, DeployService.Progress progress) {
        layout.requireInitialised();
        String version = ImageVersion.check(remote.version());
        // Known from the config alone: an unsigned version is refused before a byte of it is fetched.
        if (!allowUnsigned && !remote.signed() && TrustService.trustsKeys(layout)) {
            throw new RoclusterException(remote.ref() + " (version " + version + ") is not signed, and " + layout.root()
                    + " deploys only versions signed by a key it trusts: sign the artefact (rocluster sign) and push it"
                    + " again, or deploy it with --allow-unsigned");
        }
        try {
            Path manifest = layout.manifest(version);
            if (Files.isDirectory(layout.image(version)) && Files.isRegularFile(manifest)) {
                if (!Sha256Sums.sha256(manifest).equals(remote.manifestSha256())) {
                    throw new RoclusterException("version " + version + " is already deployed on " + layout.root()
                            + " from another artefact than " + remote.ref() + ": versions are immutable; push this one"
                            + " under a new version");
                }
                return new Result(version, null, null);
            }
            Path pulls = layout.root().resolve(PULLS);
            Files.createDirectories(pulls);
            seedFromActive(pulls, remote.name());
            PullService.Result pulled = new PullService(env, notices).pull(remote, pulls, List.of());
            DeployService.Result deployed;
            try {
                deployed = new DeployService(layout, notices).deploy(pulled.artefact(), allowUnsigned, progress,
                        remote.ref().toString());
            } catch (RuntimeException refused) {
                // A version the master refuses (unsigned, built for another master…) is not kept, not even as a cache.
                if (pulled.changed()) {
                    FileTrees.deleteQuietly(pulled.artefact());
                }
                throw refused;
            }
            keepOnly(new ArtefactStore(pulls), pulled.name(), pulled.version());
            return new Result(version, pulled, deployed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * On a master that has pulled nothing of this image yet, the active version, packed again, becomes the
     * source of shared frames (the packer gives back the very tarball: {@link DeployedArtefacts}). Failing
     * that, everything is fetched: slower, never wrong.
     */
    private void seedFromActive(Path pulls, String name) throws IOException {
        ArtefactStore store = new ArtefactStore(pulls);
        if (!store.versions(name).isEmpty() || !Files.isSymbolicLink(layout.active())) {
            return;
        }
        String active = layout.active().toRealPath().getFileName().toString();
        try {
            if (!name.equals(io.rocluster.artefact.ManifestJson.read(layout.manifest(active)).name())) {
                return;
            }
            if (notices != null) {
                notices.println("rocluster: packing " + active + " again as the source of frames it shares with the pull");
            }
            DeployedArtefacts.export(layout, active, pulls);
        } catch (RuntimeException | IOException e) {
            if (notices != null) {
                notices.println("rocluster: note: pulling without " + active + "'s frames: " + e.getMessage());
            }
        }
    }

    /** Removes the pulled versions of {@code name} but {@code keep}: one is enough as the source of frames. */
    private static void keepOnly(ArtefactStore pulls, String name, String keep) throws IOException {
        List<String> old = new ArrayList<>(pulls.versions(name));
        old.remove(keep);
        for (String v : old) {
            Path dir = pulls.dir(name, v);
            if (Files.isRegularFile(dir.resolve(ArtefactDirectory.MANIFEST))) {
                FileTrees.deleteQuietly(dir);
            }
        }
    }
}

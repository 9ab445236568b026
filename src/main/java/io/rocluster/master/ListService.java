package io.rocluster.master;

import io.rocluster.spec.ImageVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** {@code rocluster list}: every deployed version with its state, origin and disk use. */
public final class ListService {

    /** A version's role. */
    public enum State {
        /** Clients boot it (the default boot entry). */
        active,
        /** What rollback would switch back to; gc keeps it. */
        rollback,
        /** Deployed, neither of the above. */
        deployed
    }

    /**
     * One deployed version.
     *
     * @param version      the version
     * @param state        active, rollback or deployed
     * @param pinned       gc never removes it
     * @param deployedAt   ISO-8601 UTC
     * @param deployedBy   user
     * @param digest       sha256 of the uncompressed rootfs tar
     * @param kernel       the image's kernel release
     * @param bootTest     "passed", "failed" or "none"
     * @param aloneBytes   disk used by this version alone (what gc would free)
     * @param sharedBytes  disk shared with other versions through dedup hardlinks
     * @param dedupBase    the version it was deduplicated against at deploy, or null
     * @param groups       the groups whose clients boot it next ({@code default} among them when it is
     *                     active), empty when none
     * @param signer       the id of the trusted key whose signature deploy verified, or "unsigned"
     * @param trustedComment that signature's trusted comment, or null
     */
    public record Entry(String version, State state, boolean pinned, String deployedAt, String deployedBy,
            String digest, String kernel, String bootTest, long aloneBytes, long sharedBytes, String dedupBase,
            List<String> groups, String signer, String trustedComment) {

        /**
         * "active", "rollback", "deployed", "pinned", or e.g. "active, pinned"; node groups that run it are
         * named ("deployed, canary").
         */
        public String stateLabel() {
            StringBuilder b = new StringBuilder(pinned && state == State.deployed ? "pinned" : state.name());
            if (pinned && state != State.deployed) {
                b.append(", pinned");
            }
            groups.stream().filter(g -> !g.equals(Groups.DEFAULT)).forEach(g -> b.append(", ").append(g));
            return b.toString();
        }
    }

    private final MasterLayout layout;
    private final PrintStream notices;

    public ListService(MasterLayout layout, PrintStream notices) {
        this.layout = layout;
        this.notices = notices;
    }

    /** Versions in {@link ImageVersion#ORDER} (nightly versions: oldest first). */
    public List<Entry> list() {
        try (MasterSession s = MasterSession.open(layout, notices)) {
            Versions versions = s.versions();
            String active = versions.active();
            List<HistoryEntry> history = s.history().read();
            String rollback = active == null ? null : Versions.rollbackTarget(GroupState.of(history, Groups.DEFAULT), active);
            List<GroupState> groups = GroupState.all(s.configs().current(), active, history, ClientRegistry.read(layout));
            List<Entry> out = new ArrayList<>();
            for (String v : versions.deployed()) {
                DeployRecord d = DeployRecord.read(layout, v);
                DiskUsage.Usage u = DiskUsage.of(layout.image(v), layout.tftpImage(v));
                BootTestResult bt = BootTestResult.read(layout.bootTest(v));
                State state = v.equals(active) ? State.active : v.equals(rollback) ? State.rollback : State.deployed;
                out.add(new Entry(v, state, versions.isPinned(v), d.deployedAt(), d.deployedBy(), d.rootfsDigest(),
                        d.kernelVersion(), bt == null ? "none" : bt.passed() && v.equals(bt.version()) ? "passed" : "failed",
                        u.aloneBytes(), u.sharedBytes(), d.dedupBase(),
                        groups.stream().filter(g -> v.equals(g.active())).map(GroupState::name).toList(), d.signer(),
                        d.trustedComment()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

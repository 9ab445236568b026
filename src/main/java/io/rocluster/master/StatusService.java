package io.rocluster.master;

import io.rocluster.RoclusterException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rocluster status}: what each group of clients boots, when and by whom it was promoted, what
 * rollback would do, and anything an operator should know (unfinished setup, boot configs replaced by
 * hand).
 */
public final class StatusService {

    /**
     * The master at a glance.
     *
     * @param root           the master root
     * @param config         master.yaml
     * @param active         the default group's version, or null
     * @param lastSwitch     the history entry that made it active, or null
     * @param rollbackTarget what rollback of the default group would switch to, or null
     * @param menu           versions in the fallback boot menu, default first
     * @param generation     the live boot config generation
     * @param deployed       number of deployed versions
     * @param pinned         pinned versions
     * @param clients        number of clients (registered, or with a state directory)
     * @param activeBootTest the active version's boot test, or null
     * @param activeSigner   the key that signed the active version, "unsigned", or null when none is active
     * @param trustedKeys    ids of the signing keys this master trusts
     * @param warnings       things that need attention
     * @param groups         every group (default first), or only the one asked for
     */
    public record Status(Path root, MasterConfig config, String active, HistoryEntry lastSwitch, String rollbackTarget,
            List<String> menu, long generation, int deployed, List<String> pinned, int clients,
            BootTestResult activeBootTest, String activeSigner, List<String> trustedKeys, List<String> warnings,
            List<Group> groups) {}

    /**
     * One group in {@code status}.
     *
     * @param state    what it boots and why
     * @param bootTest the boot test of its version, or null
     * @param signer   the key that signed its version, "unsigned", or null when it boots none
     */
    public record Group(GroupState state, BootTestResult bootTest, String signer) {}

    private final MasterLayout layout;
    private final PrintStream notices;

    private String signer(Versions versions, String version) {
        return version == null || !versions.isDeployed(version) ? null : DeployRecord.read(layout, version).signer();
    }

    public StatusService(MasterLayout layout, PrintStream notices) {
        this.layout = layout;
        this.notices = notices;
    }

    /** Every group's state. */
    public Status status() {
        return status(null);
    }

    /** The status, with only group {@code group} (when not null) in {@link Status#groups()}. */
    public Status status(String group) {
        String only = group == null ? null : Groups.normalise(group);
        try (MasterSession s = MasterSession.open(layout, notices)) {
            Versions versions = s.versions();
            List<HistoryEntry> history = s.history().read();
            PromotionRecord current = s.configs().current();
            List<GroupState> all = GroupState.all(current, versions.active(), history, ClientRegistry.read(layout));
            List<Group> groups = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            for (GroupState g : all) {
                if (only == null || g.name().equals(only)) {
                    groups.add(new Group(g, g.active() == null ? null : BootTestResult.read(layout.bootTest(g.active())),
                            signer(versions, g.active())));
                }
                if (g.rollbackTarget() != null && !versions.isDeployed(g.rollbackTarget())) {
                    warnings.add("rollback target " + g.rollbackTarget() + (Groups.isDefault(g.name()) ? ""
                            : " of group " + g.name()) + " is no longer deployed");
                }
            }
            if (groups.isEmpty()) {
                throw new RoclusterException("no group " + only + " on " + layout.root() + ": groups are "
                        + String.join(", ", all.stream().map(GroupState::name).toList()));
            }
            for (Path p : s.configs().foreignEntries()) {
                warnings.add(p + " is not rocluster's symlink into tftpboot/configs/current: promote does not change it");
            }
            if (!Files.isRegularFile(layout.tftpboot().resolve("pxelinux.0"))) {
                warnings.add("no pxelinux.0 in " + layout.tftpboot() + ": BIOS clients cannot boot (see master init)");
            }
            List<String> keys = TrustService.trusted(layout).stream()
                    .map(io.rocluster.artefact.signature.MinisignPublicKey::keyIdHex).toList();
            if (keys.isEmpty()) {
                warnings.add("this master trusts no signing key: deploy verifies nobody's signature"
                        + " (rocluster master trust add KEY.pub)");
            }
            GroupState d = all.get(0);
            return new Status(layout.root(), s.config(), d.active(), d.lastSwitch(), d.rollbackTarget(), d.menu(),
                    current == null ? 0 : current.generation(), versions.deployed().size(), versions.pinned(),
                    ClientsService.list(layout).size(),
                    d.active() == null ? null : BootTestResult.read(layout.bootTest(d.active())), signer(versions, d.active()),
                    keys, warnings, groups);
        }
    }
}

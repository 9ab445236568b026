package io.rocluster.master;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code rocluster status}: the active version, when and by whom it was promoted, what rollback would
 * do, and anything an operator should know (unfinished setup, boot configs replaced by hand).
 */
public final class StatusService {

    /**
     * The master at a glance.
     *
     * @param root           the master root (the key {@code master} in {@code status --json})
     * @param config         master.yaml
     * @param active         the active version, or null
     * @param lastSwitch     the history entry that made it active, or null
     * @param rollbackTarget what rollback would switch to, or null
     * @param menu           versions in the live boot menu, default first
     * @param generation     the live boot config generation
     * @param deployed       number of deployed versions
     * @param pinned         pinned versions
     * @param clients        number of client state directories
     * @param activeBootTest the active version's boot test, or null
     * @param activeSigner   the key that signed the active version, "unsigned", or null when none is active
     * @param trustedKeys    ids of the signing keys this master trusts
     * @param warnings       things that need attention
     */
    public record Status(@JsonProperty("master") Path root, MasterConfig config, String active,
            HistoryEntry lastSwitch, String rollbackTarget, List<String> menu, long generation, int deployed,
            List<String> pinned, int clients, BootTestResult activeBootTest, String activeSigner,
            List<String> trustedKeys, List<String> warnings) {}

    private final MasterLayout layout;
    private final PrintStream notices;

    public StatusService(MasterLayout layout, PrintStream notices) {
        this.layout = layout;
        this.notices = notices;
    }

    public Status status() {
        try (MasterSession s = MasterSession.open(layout, notices)) {
            Versions versions = s.versions();
            List<HistoryEntry> history = s.history().read();
            String active = versions.active();
            HistoryEntry last = null;
            for (int i = history.size() - 1; i >= 0 && active != null; i--) {
                if (history.get(i).to().equals(active)) {
                    last = history.get(i);
                    break;
                }
            }
            String target = active == null ? null : Versions.rollbackTarget(history, active);
            PromotionRecord current = s.configs().current();
            List<String> warnings = new java.util.ArrayList<>();
            for (Path p : s.configs().foreignEntries()) {
                warnings.add(p + " is not rocluster's symlink into tftpboot/configs/current: promote does not change it");
            }
            if (target != null && !versions.isDeployed(target)) {
                warnings.add("rollback target " + target + " is no longer deployed");
            }
            if (!java.nio.file.Files.isRegularFile(layout.tftpboot().resolve("pxelinux.0"))) {
                warnings.add("no pxelinux.0 in " + layout.tftpboot() + ": BIOS clients cannot boot (see master init)");
            }
            List<String> keys = TrustService.trusted(layout).stream()
                    .map(io.rocluster.artefact.signature.MinisignPublicKey::keyIdHex).toList();
            if (keys.isEmpty()) {
                warnings.add("this master trusts no signing key: deploy verifies nobody's signature"
                        + " (rocluster master trust add KEY.pub)");
            }
            String signer = active == null || !versions.isDeployed(active) ? null : DeployRecord.read(layout, active).signer();
            int clients = new ClientsService(layout, null).list().size();
            return new Status(layout.root(), s.config(), active, last, target,
                    current == null ? List.of() : current.menu(), current == null ? 0 : current.generation(),
                    versions.deployed().size(), versions.pinned(), clients,
                    active == null ? null : BootTestResult.read(layout.bootTest(active)), signer, keys, warnings);
        }
    }
}

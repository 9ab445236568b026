package io.rocluster.master;

import io.rocluster.serving.BootImage;
import io.rocluster.serving.PxeConfigRenderer;
import io.rocluster.serving.PxeConfigs;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes a new boot menu generation for a master: the default version first, then the earlier
 * active versions (from history) as the console rollback path. Reads only the small deploy.json of each
 * offered version, never a manifest or an image tree, so its cost does not grow with image size.
 */
final class BootMenus {

    private BootMenus() {}

    /**
     * Renders and publishes (the commit point), then returns the record published.
     *
     * @param active   the default entry, or null for an empty menu
     * @param from     the previously active version (recorded in history)
     * @param previous earlier versions to offer after the default
     */
    static PromotionRecord publish(MasterSession session, String action, String active, String from,
            List<String> previous, String reason) {
        return publish(session.layout(), session.config(), action, active, from, previous, reason);
    }

    /** The same, for callers that hold the lock without a session (master init). */
    static PromotionRecord publish(MasterLayout layout, MasterConfig config, String action, String active,
            String from, List<String> previous, String reason) {
        BootConfigStore store = new BootConfigStore(layout);
        PromotionRecord current = store.current();
        long generation = current == null ? 1 : current.generation() + 1;
        List<String> menu = new ArrayList<>();
        if (active != null) {
            menu.add(active);
            menu.addAll(previous);
        }
        PromotionRecord record = new PromotionRecord(generation, action, active, from, List.copyOf(menu),
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), HistoryEntry.currentUser(), reason);
        List<BootImage> images = new ArrayList<>();
        for (String v : menu) {
            DeployRecord d = DeployRecord.read(layout, v);
            images.add(new BootImage(v, d.kernelCmdline(), d.nfsOptions()));
        }
        String header = "generation " + generation + ", " + action
                + (active == null ? "" : " of " + active) + " by " + record.user() + " at " + record.time();
        PxeConfigs configs = PxeConfigRenderer.render(config.pxeSettings(), images, header);
        store.publish(record, configs);
        return record;
    }
}

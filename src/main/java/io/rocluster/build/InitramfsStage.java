package io.rocluster.build;

import java.io.IOException;
import java.util.Map;

/**
 * Runs dracut once inside the root for the image's own kernel, with the settings the readonly stage wrote
 * to {@code /etc/dracut.conf.d}, and leaves vmlinuz, initramfs.img and the kernel version in
 * {@code /build/out}. Reads no spec field itself: what it depends on is in the previous stages' digests.
 */
final class InitramfsStage implements Stage {

    @Override
    public String name() {
        return "initramfs";
    }

    @Override
    public StageInput input(BuildContext context) throws IOException {
        String script = "40-initramfs.sh";
        return new StageInput(name(), script, new StageFiles().script(context.profileStages(), script).toTar(), Map.of());
    }
}

package io.rocluster.readonly;

import io.rocluster.spec.ImageSpec.Profile;
import io.rocluster.spec.ImageSpec.Selinux;
import io.rocluster.spec.ImageSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel arguments an image asks for, whatever master boots it: what the build records as the manifest's
 * {@code kernelCmdline} and the boot configs append after their own {@code root=… ro} (which the master
 * renders, {@code serving.KernelCommandLine}: only the master knows the export path of a deployed version).
 */
public final class KernelCmdline {

    private KernelCmdline() {}

    /**
     * {@code selinux=0} on an el7 image with SELinux disabled (FACTS: loading the policy can hang a diskless
     * boot, so the kernel does not even start SELinux; /etc/selinux/config says the same to userspace), then
     * the spec's {@code initramfs.cmdline}. Empty when there is nothing to ask.
     */
    public static String imageArguments(ImageSpec spec) {
        List<String> args = new ArrayList<>();
        if (spec.profile() == Profile.EL7 && spec.selinux() == Selinux.DISABLED) {
            args.add("selinux=0");
        }
        if (!spec.initramfs().cmdline().isEmpty()) {
            args.add(spec.initramfs().cmdline());
        }
        return String.join(" ", args);
    }
}

package io.rocluster.serving;

import java.util.Map;

/**
 * Every boot config a master serves from one generation: the fallback menu (the default group's, for any
 * client without a menu of its own) and one menu per client of a node group, by MAC.
 *
 * @param fallback  {@code pxelinux.cfg/default}, {@code grub/grub.cfg} and {@code boot.ipxe}
 * @param perClient each grouped client's three configs
 */
public record ServedConfigs(PxeConfigs fallback, Map<MacAddress, PxeConfigs> perClient) {

    public ServedConfigs {
        perClient = Map.copyOf(perClient);
    }
}

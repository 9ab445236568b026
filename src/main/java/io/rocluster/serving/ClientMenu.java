package io.rocluster.serving;

import java.util.List;
import java.util.Objects;

/**
 * The menu one client of a node group boots: its group's versions, default first.
 *
 * @param mac     the client's MAC, which its boot loader uses to find the menu
 * @param fqdn    the client's host name (a comment in its configs)
 * @param group   its node group (a comment in its configs)
 * @param entries its group's versions, default first
 */
public record ClientMenu(MacAddress mac, String fqdn, String group, List<BootImage> entries) {

    public ClientMenu {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(fqdn, "fqdn");
        Objects.requireNonNull(group, "group");
        entries = List.copyOf(entries);
    }
}

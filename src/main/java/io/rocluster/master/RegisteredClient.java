package io.rocluster.master;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One client registered on a master ({@code clients.json}).
 *
 * @param fqdn  host name as DHCP gives it
 * @param mac   canonical MAC ({@link io.rocluster.serving.MacAddress}), or null when none was given: the
 *              client then boots the default group's menu
 * @param group its node group, or null for the default group
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegisteredClient(String fqdn, String mac, String group) {

    /** The group's name, {@link Groups#DEFAULT} for the default group. */
    public String groupName() {
        return group == null ? Groups.DEFAULT : group;
    }
}

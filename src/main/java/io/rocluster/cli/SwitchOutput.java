package io.rocluster.cli;

import io.rocluster.master.Groups;
import io.rocluster.master.PromoteService;

/** The one-line report of a promote or rollback. */
final class SwitchOutput {

    private SwitchOutput() {}

    static String describe(String verb, PromoteService.Result r) {
        boolean node = !r.group().equals(Groups.DEFAULT);
        if (!r.changed()) {
            return r.to() + " is already active" + (node ? " in group " + r.group() : "") + ": nothing changed";
        }
        return verb + " " + r.to() + (node ? " in group " + r.group() : "") + (r.from() == null ? "" : " (was " + r.from() + ")")
                + "; boot configs generation " + r.generation() + "; " + (node ? "its clients" : "clients")
                + " boot it at their next boot";
    }
}

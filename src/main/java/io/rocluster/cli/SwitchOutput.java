package io.rocluster.cli;

import io.rocluster.master.PromoteService;

/** The one-line report of a promote or rollback. */
final class SwitchOutput {

    private SwitchOutput() {}

    static String describe(String verb, PromoteService.Result r) {
        if (!r.changed()) {
            return r.to() + " is already active: nothing changed";
        }
        return verb + " " + r.to() + (r.from() == null ? "" : " (was " + r.from() + ")")
                + "; boot configs generation " + r.generation() + "; clients boot it at their next boot";
    }
}

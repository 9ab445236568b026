package io.rocluster.cli;

import io.rocluster.master.PromoteService;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** The report of a promote or rollback: one line, or with --json the switch as JSON. */
final class SwitchOutput {

    private SwitchOutput() {}

    static void print(CommandSpec spec, String verb, PromoteService.Result r, boolean json) {
        if (json) {
            JsonOutput.print(spec, r);
            return;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(describe(verb, r));
        out.flush();
    }

    private static String describe(String verb, PromoteService.Result r) {
        if (!r.changed()) {
            return r.to() + " is already active: nothing changed";
        }
        return verb + " " + r.to() + (r.from() == null ? "" : " (was " + r.from() + ")")
                + "; boot configs generation " + r.generation() + "; clients boot it at their next boot";
    }
}

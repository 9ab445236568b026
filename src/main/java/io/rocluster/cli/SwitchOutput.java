package io.rocluster.cli;

import io.rocluster.master.Groups;
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

    /** The one line of a switch, as promote and rollback print it (and nightly after its step name). */
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

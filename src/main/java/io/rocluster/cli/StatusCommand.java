package io.rocluster.cli;

import io.rocluster.master.StatusService;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/** {@code rocluster status}: what clients boot, since when, and what rollback would do. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the active version, who promoted it and when, and what rollback would do.")
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StatusService.Status s = new StatusService(master.layout(), System.err).status();
        PrintWriter out = spec.commandLine().getOut();
        out.println("master:    " + s.root() + " (server " + s.config().server() + ", clients " + s.config().clients()
                + ", NFSv" + s.config().nfsVersion() + " at " + s.config().clientRoot() + ")");
        if (s.active() == null) {
            out.println("active:    none (nothing promoted yet: rocluster promote VERSION)");
        } else {
            out.println("active:    " + s.active());
            if (s.lastSwitch() != null) {
                out.println("since:     " + s.lastSwitch().time() + " by " + s.lastSwitch().user() + " ("
                        + s.lastSwitch().action() + (s.lastSwitch().reason() == null ? "" : ": " + s.lastSwitch().reason())
                        + ")");
            }
            out.println("boot test: " + (s.activeBootTest() == null ? "none"
                    : (s.activeBootTest().passed() ? "passed" : "failed: " + s.activeBootTest().reason())
                            + (s.activeBootTest().startedAt() == null ? "" : " (" + s.activeBootTest().startedAt() + ")")));
            out.println("rollback:  " + (s.rollbackTarget() == null ? "nothing to roll back to"
                    : "would switch clients back to " + s.rollbackTarget()));
        }
        out.println("menu:      " + (s.menu().isEmpty() ? "empty" : String.join(", ", s.menu()))
                + " (generation " + s.generation() + ")");
        out.println("versions:  " + s.deployed() + " deployed" + (s.pinned().isEmpty() ? "" : ", pinned: "
                + String.join(", ", s.pinned())));
        out.println("clients:   " + s.clients() + " state directories");
        for (String w : s.warnings()) {
            out.println("warning:   " + w);
        }
        out.flush();
        return 0;
    }
}

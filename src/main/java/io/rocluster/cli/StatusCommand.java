package io.rocluster.cli;

import io.rocluster.master.BootTestResult;
import io.rocluster.master.GroupState;
import io.rocluster.master.HistoryEntry;
import io.rocluster.master.StatusService;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rocluster status [--group NAME] [--json]}: what clients boot, since when, and what rollback would do. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show what each group of clients boots and what rollback would do.",
            "For each group: its version, who promoted it and when, its boot test, its menu and its clients."})
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Option(names = "--group", paramLabel = "NAME", description = "Show this group only.")
    String group;

    @Option(names = "--json", description = "Print JSON (stable keys; see the README).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code status --json}. */
    record Json(String master, String server, String clients, int nfsVersion, String clientRoot, long generation,
            int deployed, List<String> pinned, int clientCount, List<String> trustedKeys, List<GroupJson> groups,
            List<String> warnings) {}

    /** One group in {@code status --json}. */
    record GroupJson(String name, String active, boolean ownVersion, Since since, String rollbackTarget,
            List<String> menu, List<String> clients, String bootTest, String signer) {}

    /** The switch that made a group's version active. */
    record Since(String time, String user, String action, String reason) {}

    @Override
    public Integer call() throws Exception {
        StatusService.Status s = new StatusService(master.layout(), System.err).status(group);
        if (json) {
            JsonOutput.print(spec, toJson(s));
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("master:    " + s.root() + " (server " + s.config().server() + ", clients " + s.config().clients()
                + ", NFSv" + s.config().nfsVersion() + " at " + s.config().clientRoot() + ")");
        boolean onlyDefault = s.groups().size() == 1 && s.groups().get(0).state().name().equals("default") && group == null;
        for (StatusService.Group g : s.groups()) {
            if (!onlyDefault) {
                GroupState st = g.state();
                out.println("group:     " + st.name() + " (" + (st.clients().isEmpty() ? "no registered clients"
                        : st.clients().size() + " client" + (st.clients().size() == 1 ? "" : "s") + ": "
                                + String.join(", ", st.clients())) + ")");
            }
            group(out, g, s.generation());
        }
        out.println("versions:  " + s.deployed() + " deployed" + (s.pinned().isEmpty() ? "" : ", pinned: "
                + String.join(", ", s.pinned())));
        out.println("clients:   " + s.clients() + " (registered or with a state directory)");
        out.println("trusts:    " + (s.trustedKeys().isEmpty() ? "no signing key" : String.join(", ", s.trustedKeys())));
        for (String w : s.warnings()) {
            out.println("warning:   " + w);
        }
        out.flush();
        return 0;
    }

    private static void group(PrintWriter out, StatusService.Group g, long generation) {
        GroupState st = g.state();
        if (st.active() == null) {
            out.println("active:    none (nothing promoted yet: rocluster promote VERSION)");
        } else if (!st.ownVersion()) {
            out.println("active:    " + st.active() + " (the default group's: never promoted to this group)");
        } else {
            out.println("active:    " + st.active());
            HistoryEntry last = st.lastSwitch();
            if (last != null) {
                out.println("since:     " + last.time() + " by " + last.user() + " (" + last.action()
                        + (last.reason() == null ? "" : ": " + last.reason()) + ")");
            }
            out.println("boot test: " + bootTest(g.bootTest()));
            out.println("signed by: " + g.signer());
            out.println("rollback:  " + (st.rollbackTarget() == null ? "nothing to roll back to"
                    : "would switch " + (st.name().equals("default") ? "clients" : "its clients") + " back to "
                            + st.rollbackTarget()));
        }
        out.println("menu:      " + (st.menu().isEmpty() ? "empty" : String.join(", ", st.menu()))
                + (st.name().equals("default") ? " (generation " + generation + ")" : ""));
    }

    private static String bootTest(BootTestResult r) {
        return r == null ? "none" : (r.passed() ? "passed" : "failed: " + r.reason())
                + (r.startedAt() == null ? "" : " (" + r.startedAt() + ")");
    }

    private static Json toJson(StatusService.Status s) {
        List<GroupJson> groups = s.groups().stream().map(g -> {
            GroupState st = g.state();
            HistoryEntry l = st.lastSwitch();
            return new GroupJson(st.name(), st.active(), st.ownVersion(),
                    l == null ? null : new Since(l.time(), l.user(), l.action(), l.reason()), st.rollbackTarget(),
                    st.menu(), st.clients(), g.bootTest() == null ? "none" : g.bootTest().passed() ? "passed" : "failed",
                    g.signer());
        }).toList();
        return new Json(s.root().toString(), s.config().server(), s.config().clients(), s.config().nfsVersion(),
                s.config().clientRoot(), s.generation(), s.deployed(), s.pinned(), s.clients(), s.trustedKeys(), groups,
                s.warnings());
    }
}

package io.rocluster.cli;

import io.rocluster.master.StatusService;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rocluster status}: what clients boot, since when, and what rollback would do. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the active version, who promoted it and when, and what rollback would do.")
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Option(names = "--json", description = "Print the status as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StatusService.Status s = new StatusService(master.layout(), System.err).status();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("master", s.root().toString());
            m.put("config", s.config());
            m.put("active", s.active());
            m.put("lastSwitch", s.lastSwitch());
            m.put("rollbackTarget", s.rollbackTarget());
            m.put("menu", s.menu());
            m.put("generation", s.generation());
            m.put("deployed", s.deployed());
            m.put("pinned", s.pinned());
            m.put("clients", s.clients());
            m.put("activeBootTest", s.activeBootTest());
            m.put("activeSigner", s.activeSigner());
            m.put("trustedKeys", s.trustedKeys());
            m.put("warnings", s.warnings());
            out.println(new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
            out.flush();
            return 0;
        }
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
            out.println("signed by: " + s.activeSigner());
            out.println("rollback:  " + (s.rollbackTarget() == null ? "nothing to roll back to"
                    : "would switch clients back to " + s.rollbackTarget()));
        }
        out.println("menu:      " + (s.menu().isEmpty() ? "empty" : String.join(", ", s.menu()))
                + " (generation " + s.generation() + ")");
        out.println("versions:  " + s.deployed() + " deployed" + (s.pinned().isEmpty() ? "" : ", pinned: "
                + String.join(", ", s.pinned())));
        out.println("clients:   " + s.clients() + " state directories");
        out.println("trusts:    " + (s.trustedKeys().isEmpty() ? "no signing key" : String.join(", ", s.trustedKeys())));
        for (String w : s.warnings()) {
            out.println("warning:   " + w);
        }
        out.flush();
        return 0;
    }
}

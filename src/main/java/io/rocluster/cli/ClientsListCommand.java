package io.rocluster.cli;

import io.rocluster.master.ClientsService;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rocluster clients list [--json]}. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List clients: MAC, group, the version each boots next, its state directory.")
public final class ClientsListCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One client in {@code --json}: stable keys. */
    record Row(String fqdn, String mac, String group, String bootsNext, boolean registered, String stateDirectory,
            boolean stateKept) {}

    @Override
    public Integer call() throws Exception {
        List<ClientsService.Client> clients = new ClientsService(master.layout(), System.err).list();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Row> rows = clients.stream().map(c -> new Row(c.fqdn(), c.mac(), c.group(), c.bootsNext(), c.registered(),
                    c.path().toString(), c.stateKept())).toList();
            JsonOutput.print(spec, rows);
            return 0;
        }
        if (clients.isEmpty()) {
            out.println("no clients on " + master.layout().root() + " (rocluster clients add FQDN --mac MAC)");
        } else {
            String fmt = "%-32s %-17s %-12s %-24s %s%n";
            out.printf(fmt, "CLIENT", "MAC", "GROUP", "BOOTS NEXT", "STATE");
            for (ClientsService.Client c : clients) {
                out.printf(fmt, c.fqdn(), c.mac() == null ? "-" : c.mac(), c.group(),
                        c.bootsNext() == null ? "-" : c.bootsNext(),
                        (c.stateKept() ? c.path().toString() : "none") + (c.registered() ? "" : " (not registered)"));
            }
        }
        out.flush();
        return 0;
    }
}

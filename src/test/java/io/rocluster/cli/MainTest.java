package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    /** Runs the CLI in-process; returns exit code, stdout and stderr. */
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static List<String> verbPaths(CommandLine cl, String prefix, List<String> acc) {
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return;
            }
            String path = prefix.isEmpty() ? name : prefix + " " + name;
            acc.add(path);
            verbPaths(sub, path, acc);
        });
        return acc;
    }

    @Test
    void everyVerbAnswersHelpWithExitZero() {
        List<String> verbs = verbPaths(Main.commandLine(), "", new ArrayList<>());
        assertThat(verbs).contains("init", "validate", "pack", "unpack", "build", "deploy", "promote", "rollback");
        for (String verb : verbs) {
            List<String> args = new ArrayList<>(List.of(verb.split(" ")));
            args.add("--help");
            Run r = run(args.toArray(String[]::new));
            assertThat(r.code()).as("exit code of rocluster %s --help", verb).isZero();
            assertThat(r.out()).as("help of %s", verb).startsWith("Usage: rocluster " + verb);
        }
    }

    @Test
    void verbDescriptionsReadWellInEightyColumns() {
        for (String verb : verbPaths(Main.commandLine(), "", new ArrayList<>())) {
            CommandLine cl = Main.commandLine();
            for (String part : verb.split(" ")) {
                cl = cl.getSubcommands().get(part);
            }
            String[] description = cl.getCommandSpec().usageMessage().description();
            assertThat(description).as("description of %s", verb).isNotEmpty();
            // The verb list shows only the first line: a short, whole sentence.
            assertThat(description[0]).as("first description line of %s", verb).endsWith(".").hasSizeLessThan(80);
            for (String paragraph : description) {
                // picocli wraps each element on its own: an element that stops mid-sentence prints a ragged break.
                assertThat(paragraph).as("description paragraph of %s", verb).endsWith(".");
            }
        }
    }

    @Test
    void versionAndUsageExitCodes() {
        Run version = run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("rocluster ");

        Run noVerb = run();
        assertThat(noVerb.code()).isEqualTo(2);
        assertThat(noVerb.err()).contains("Missing verb");

        Run unknownOption = run("pack", "somedir", "--out", "x.tar", "--no-such-option");
        assertThat(unknownOption.code()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("--no-such-option");
    }
}

package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What the Debian package's man pages and completion are made from (the troff conversion itself is checked by
 * DebPackageIT, with man on the installed package).
 */
class PackageDocsTest {

    private static void verbs(CommandLine cl, String prefix, List<String> acc) {
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                acc.add(prefix + "-" + name);
                verbs(sub, prefix + "-" + name, acc);
            }
        });
    }

    @Test
    void onePagePerVerbEachListingTheExitCodes() {
        List<String> expected = new ArrayList<>(List.of("rocluster"));
        verbs(Main.commandLine(), "rocluster", expected);

        Map<String, String> pages = PackageDocs.manPagesAsciiDoc();

        assertThat(pages.keySet()).containsExactlyInAnyOrderElementsOf(expected)
                .contains("rocluster-deploy", "rocluster-master-init", "rocluster-cache-list");
        pages.forEach((name, page) -> {
            assertThat(page).as(name).contains("= " + name + "(1)", "== Exit status", "*0*::", "*1*::", "*2*::",
                    ":mansource: rocluster ");
            assertThat(page).as(name + " is not empty").contains("== Synopsis", "== Description");
        });
        assertThat(pages.get("rocluster")).contains("deploy", "promote", "rollback");
    }

    @Test
    void completionKnowsEveryVerbAndTheirOptions() {
        String script = PackageDocs.completion();

        assertThat(script).contains("complete -F _complete_rocluster", "promote", "rollback", "boot-test",
                "--require-boot-test", "--master");
    }
}

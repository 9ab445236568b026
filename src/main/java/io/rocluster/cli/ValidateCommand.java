package io.rocluster.cli;

import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.SpecLoader;
import io.rocluster.spec.SpecWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rocluster validate SPEC}: checks a spec and prints it with every default filled in. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {
            "Check an image spec (YAML or JSON) and print the effective spec.",
            "Defaults are filled in, removed defaults shown as \"!entry\". On mistakes, prints every one "
                + "with its field path and line instead, and exits 1.",
            "SPEC - reads the spec from standard input: rocluster init | rocluster validate -."})
public final class ValidateCommand implements Runnable {

    @Parameters(paramLabel = "SPEC", description = "The spec file, or - for standard input.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        boolean stdin = file.toString().equals("-");
        ImageSpec loaded = stdin ? SpecLoader.load(System.in, SpecLoader.STDIN) : SpecLoader.load(file);
        PrintWriter out = spec.commandLine().getOut();
        out.println("# Effective spec of " + (stdin ? SpecLoader.STDIN : file) + ": defaults filled in.");
        out.print(SpecWriter.toYaml(loaded));
        out.flush();
    }
}

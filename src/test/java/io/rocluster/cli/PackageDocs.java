package io.rocluster.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import io.rocluster.nightly.NightlyUnits;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build-time tool for the Debian package ({@code mvn package} runs it through exec-maven-plugin): writes the man
 * pages {@code rocluster(1)} and {@code rocluster-VERB(1)} and the bash completion script, all from the very
 * {@link CommandLine} the tool runs ({@link Main#commandLine()}), so the docs cannot drift from the options.
 *
 * <p>picocli's ManPageGenerator writes AsciiDoc; Asciidoctor's manpage backend turns it into troff, gzipped as
 * Debian wants man pages (level 9, no name, no time). Starting Asciidoctor (JRuby) costs several seconds, so that
 * step is skipped when the AsciiDoc is the same as last time and every page is still there.
 *
 * <p>Usage: {@code PackageDocs OUT_DIR DATE} where DATE (ISO, e.g. the build's outputTimestamp) dates the pages.
 * Writes OUT_DIR/man/*.1.gz, OUT_DIR/bash-completion/rocluster, OUT_DIR/systemd/rocluster-nightly.{service,timer}
 * and OUT_DIR/adoc/*.adoc.
 */
public final class PackageDocs {

    private PackageDocs() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: PackageDocs OUT_DIR DATE");
        }
        Path out = Path.of(args[0]);
        String date = args[1].substring(0, Math.min(10, args[1].length()));
        Files.createDirectories(out.resolve("bash-completion"));
        Files.writeString(out.resolve("bash-completion/rocluster"), completion());
        packagedUnits().writeTo(out.resolve("systemd"));

        Map<String, String> pages = manPagesAsciiDoc();
        Path adoc = out.resolve("adoc");
        Path man = out.resolve("man");
        if (sameAsBefore(adoc, man, pages)) {
            return;
        }
        deleteTree(adoc);
        deleteTree(man);
        Files.createDirectories(adoc);
        Files.createDirectories(man);
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Files.writeString(adoc.resolve(page.getKey() + ".adoc"), page.getValue());
        }
        toTroff(adoc, man, date);
        try (Stream<Path> troff = Files.list(man)) {
            for (Path page : troff.filter(p -> p.getFileName().toString().endsWith(".1")).toList()) {
                gzip(page, man.resolve(page.getFileName() + ".gz"));
                Files.delete(page);
            }
        }
        for (String name : pages.keySet()) {
            if (!Files.isRegularFile(man.resolve(name + ".1.gz"))) {
                throw new IllegalStateException("Asciidoctor wrote no " + name + ".1");
            }
        }
    }

    /**
     * The nightly job's units as the package installs them (disabled, as Debian ships timers): the job runs
     * /usr/bin/rocluster in /var/lib/rocluster (its artefact store output/ goes there) on the spec an admin puts
     * at /etc/rocluster/nightly.yaml, for the master at /data/cluster. A site with another spec or master renders
     * its own with {@code rocluster render systemd} into /etc/systemd/system, which overrides these.
     */
    static NightlyUnits packagedUnits() {
        return new NightlyUnits(List.of("/usr/bin/rocluster"), Path.of("/var/lib/rocluster"),
                Path.of("/etc/rocluster/nightly.yaml"), Path.of("/data/cluster"), NightlyUnits.DEFAULT_KEEP,
                NightlyUnits.DEFAULT_ON_CALENDAR, new TreeMap<>());
    }

    /** The bash completion script, as picocli's AutoComplete writes it for the whole command tree. */
    static String completion() {
        // bash-completion sources the file: a #! line would only suggest it is run (lintian says so too).
        return AutoComplete.bash("rocluster", Main.commandLine()).replaceFirst("\\A#!.*\n", "");
    }

    /**
     * One AsciiDoc man page per command, keyed by page name ({@code rocluster}, {@code rocluster-deploy},
     * {@code rocluster-master-init}, …), in command order. {@code help} gets none: it only prints the others.
     */
    static Map<String, String> manPagesAsciiDoc() {
        CommandLine cl = Main.commandLine();
        cl.getCommandSpec().removeSubcommand("help");
        Map<String, String> pages = new LinkedHashMap<>();
        addPages(cl.getCommandSpec(), pages);
        return pages;
    }

    private static void addPages(CommandSpec spec, Map<String, String> pages) {
        spec.usageMessage().exitCodeListHeading("Exit status%n"); // the section name man pages use
        StringWriter text = new StringWriter();
        try (PrintWriter pw = new PrintWriter(text)) {
            ManPageGenerator.writeSingleManPage(pw, spec);
        }
        pages.put(spec.qualifiedName("-"), text.toString());
        for (CommandLine sub : spec.subcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden() && !pages.containsKey(sub.getCommandSpec().qualifiedName("-"))) {
                addPages(sub.getCommandSpec(), pages);
            }
        }
    }

    private static boolean sameAsBefore(Path adoc, Path man, Map<String, String> pages) throws IOException {
        if (!Files.isDirectory(adoc)) {
            return false;
        }
        try (Stream<Path> old = Files.list(adoc)) {
            if (old.count() != pages.size()) {
                return false;
            }
        }
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Path file = adoc.resolve(page.getKey() + ".adoc");
            if (!Files.isRegularFile(file) || !Files.readString(file).equals(page.getValue())
                    || !Files.isRegularFile(man.resolve(page.getKey() + ".1.gz"))) {
                return false;
            }
        }
        return true;
    }

    private static void toTroff(Path adoc, Path man, String date) throws IOException {
        try (Asciidoctor asciidoctor = Asciidoctor.Factory.create();
                Stream<Path> sources = Files.list(adoc)) {
            Attributes attributes = Attributes.builder()
                    .attribute("docdate", date)
                    .attribute("revdate", date)
                    .build();
            for (Path source : sources.sorted(Comparator.naturalOrder()).toList()) {
                asciidoctor.convertFile(source.toFile(), Options.builder()
                        .backend("manpage")
                        .safe(SafeMode.UNSAFE)
                        .toDir(man.toFile())
                        .mkDirs(true)
                        .attributes(attributes)
                        .build());
            }
        }
    }

    /**
     * What {@code gzip -9n} writes: best compression, flagged as such in the header with Unix as the OS (lintian
     * checks both; the JDK's GZIPOutputStream sets neither), and no name or time, so a page gives the same bytes.
     */
    private static void gzip(Path source, Path target) throws IOException {
        GzipParameters p = new GzipParameters();
        p.setCompressionLevel(9);
        p.setOS(GzipParameters.OS.UNIX);
        p.setModificationTime(0);
        try (OutputStream gz = new GzipCompressorOutputStream(Files.newOutputStream(target), p)) {
            gz.write(Files.readAllBytes(source));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

package io.rocluster.nightly;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The systemd units that run {@code rocluster nightly} every night: {@code rocluster-nightly.service} and
 * {@code rocluster-nightly.timer}. The service is {@code Type=oneshot}, so it stays "activating" for the whole
 * run and a timer that elapses meanwhile does not start it a second time; its output goes to the journal.
 * The timer is {@code Persistent=true}: a night missed while the machine was off runs at the next boot.
 *
 * @param command          the rocluster command line up to the verb (the launcher, or java -jar), absolute
 * @param workingDirectory where the job runs: the artefact store {@code output/} is relative to it
 * @param spec             the spec to build, absolute
 * @param master           the master's directory, absolute
 * @param keep             versions gc keeps besides the protected ones
 * @param onCalendar       when the timer elapses (systemd.time(7) calendar expression)
 * @param environment      variables the job needs from the environment it was rendered in (the sign key, the
 *                         el7 mirror), by name
 */
public record NightlyUnits(List<String> command, Path workingDirectory, Path spec, Path master, int keep,
        String onCalendar, SortedMap<String, String> environment) {

    /** Variables rocluster reads that a job started by systemd would otherwise lack. */
    static final List<String> PASSED_ON = List.of("ROCLUSTER_SIGN_KEY", "ROCLUSTER_EL7_MIRROR", "ROCLUSTER_CACHE_KEEP");

    /** Unit names, as installed under /etc/systemd/system. */
    public static final String SERVICE = "rocluster-nightly.service";
    public static final String TIMER = "rocluster-nightly.timer";
    /** 02:00 every night: after the distribution mirrors' own nightly runs have usually finished. */
    public static final String DEFAULT_ON_CALENDAR = "*-*-* 02:00:00";
    /** gc --keep of the job: as {@code rocluster nightly}'s default. */
    public static final int DEFAULT_KEEP = 5;

    public NightlyUnits {
        command = List.copyOf(command);
        environment = Collections.unmodifiableSortedMap(new TreeMap<>(environment));
        if (onCalendar.isBlank() || onCalendar.chars().anyMatch(Character::isISOControl)) {
            throw new RoclusterException("--on-calendar '" + onCalendar.strip().replaceAll("\\p{Cntrl}", " ")
                    + "' is not one systemd calendar"
                    + " expression: give one line such as '" + DEFAULT_ON_CALENDAR + "' (see systemd.time(7))");
        }
    }

    /**
     * The units for this installation of rocluster: the job runs its launcher script ({@code rocluster} beside
     * {@code target/}, which rebuilds a stale jar) when there is one, else {@code java -jar} on this jar, in the
     * launcher's directory.
     */
    public static NightlyUnits forThisInstallation(Path spec, Path master, String onCalendar) {
        Path jar;
        try {
            jar = Path.of(NightlyUnits.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | SecurityException e) {
            throw new RoclusterException("cannot tell where rocluster is installed (" + e.getMessage() + ")");
        }
        Path home = jar.toAbsolutePath().getParent().getParent();
        Path nightlySpec = spec != null ? spec : home.resolve("examples/debian12.yaml");
        if (!Files.isRegularFile(nightlySpec)) {
            throw new RoclusterException(nightlySpec + ": no such spec: give the one the nightly job builds with --spec");
        }
        Path launcher = home.resolve("rocluster");
        List<String> command = Files.isExecutable(launcher) && Files.isRegularFile(launcher)
                ? List.of(launcher.toString())
                : List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString());
        SortedMap<String, String> env = new TreeMap<>();
        for (String name : PASSED_ON) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                env.put(name, value);
            }
        }
        return new NightlyUnits(command, home, nightlySpec.toAbsolutePath().normalize(),
                master.toAbsolutePath().normalize(), DEFAULT_KEEP, onCalendar, env);
    }

    /** {@code rocluster-nightly.service}. */
    public String service() {
        return "# " + SERVICE + " rendered by rocluster: the nightly build, boot test and promote of one spec.\n"
                + "# Started by " + TIMER + "; run by hand with `systemctl start " + SERVICE + "`.\n"
                + "[Unit]\n"
                + "Description=rocluster nightly: build, deploy, boot-test and promote " + spec.getFileName() + "\n"
                + "Wants=network-online.target\n"
                + "After=network-online.target docker.service\n"
                + "\n"
                + "[Service]\n"
                // oneshot: the unit is active only while the job runs, so the timer never starts a second run
                // beside a first one still going (rocluster's master lock would also serialise them).
                + "Type=oneshot\n"
                + "WorkingDirectory=" + workingDirectory.toString().replace("%", "%%") + "\n"
                + environment.entrySet().stream().map(e -> "Environment=" + escape(e.getKey() + "=" + e.getValue()) + "\n")
                        .collect(Collectors.joining())
                + "ExecStart=" + command.stream().map(NightlyUnits::escape).collect(Collectors.joining(" "))
                + " nightly " + escape(spec.toString()) + " --master " + escape(master.toString())
                + " --keep " + keep + "\n"
                + "StandardOutput=journal\n"
                + "StandardError=journal\n"
                // A hung build or boot would otherwise block every later night; a killed run leaves the master
                // consistent (the next command finishes or removes what it left).
                + "TimeoutStartSec=4h\n"
                + "Nice=10\n";
    }

    /**
     * Writes both units into {@code dir} (each written aside and renamed, so systemd never reads half a file).
     *
     * @return the files written
     */
    public List<Path> writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (var unit : Map.of(SERVICE, service(), TIMER, timer()).entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            Path target = dir.resolve(unit.getKey());
            Path tmp = dir.resolve("." + unit.getKey() + ".tmp");
            Files.writeString(tmp, unit.getValue());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            written.add(target);
        }
        return written;
    }

    /** {@code rocluster-nightly.timer}. */
    public String timer() {
        return "# " + TIMER + " rendered by rocluster: starts " + SERVICE + " every night.\n"
                + "# Install: copy both units to /etc/systemd/system, then `systemctl enable --now " + TIMER + "`.\n"
                + "[Unit]\n"
                + "Description=rocluster nightly build of " + spec.getFileName() + "\n"
                + "\n"
                + "[Timer]\n"
                + "OnCalendar=" + onCalendar.strip() + "\n"
                // A night missed while the machine was off is run once at the next boot.
                + "Persistent=true\n"
                + "Unit=" + SERVICE + "\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=timers.target\n";
    }

    /**
     * One word of a unit's command line: systemd splits ExecStart= on spaces and unquotes double quotes, and
     * expands {@code %} specifiers and {@code $} variables.
     */
    static String escape(String word) {
        String w = word.replace("%", "%%").replace("$", "$$");
        if (w.chars().anyMatch(c -> c == ' ' || c == '"' || c == '\\' || c == '\'')) {
            return "\"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return w;
    }
}

package io.rocluster.readonly;

import io.rocluster.RoclusterException;
import io.rocluster.spec.ImageSpec.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distribution of a root directory, as its own files say: os-release(5) ({@code etc/os-release}, else
 * {@code usr/lib/os-release}, where EL7's {@code etc/os-release} symlink points), else EL's
 * {@code etc/centos-release} or {@code etc/redhat-release}. Read without following any symlink of the root,
 * so a root can never make rocluster read a file of the machine it runs on.
 *
 * @param id        os-release {@code ID} ({@code centos}, {@code debian}…)
 * @param versionId os-release {@code VERSION_ID} ({@code 7}, {@code 12}), or the release file's version
 * @param idLike    os-release {@code ID_LIKE} words
 * @param name      a name for people ({@code PRETTY_NAME}, or the release file's line)
 * @param source    the file it came from, relative to the root
 */
public record RootRelease(String id, String versionId, List<String> idLike, String name, String source) {

    private static final List<String> EL = List.of("rhel", "centos");
    private static final Pattern RELEASE_LINE = Pattern.compile("(.*?) release (\\d[0-9.]*)\\b.*");
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z0-9_]+)=(.*)");

    public RootRelease {
        idLike = List.copyOf(idLike);
    }

    /**
     * Reads the release files of {@code root}.
     *
     * @throws RoclusterException in one line when the root has none
     */
    public static RootRelease read(Path root) throws IOException {
        for (String file : List.of("etc/os-release", "usr/lib/os-release")) {
            Optional<String> text = regularFile(root, file);
            if (text.isPresent()) {
                return osRelease(text.get(), file);
            }
        }
        for (String file : List.of("etc/centos-release", "etc/redhat-release")) {
            Optional<String> text = regularFile(root, file);
            if (text.isPresent()) {
                String line = text.get().lines().findFirst().orElse("").strip();
                Matcher m = RELEASE_LINE.matcher(line);
                String id = file.contains("centos") ? "centos" : "rhel";
                return new RootRelease(id, m.matches() ? m.group(2) : "", List.of(), line, file);
            }
        }
        throw new RoclusterException(root + " has no etc/os-release, usr/lib/os-release or etc/centos-release:"
                + " it is not the root of a Linux system; give --root the client's root directory");
    }

    /** Whether this is the distribution of {@code profile} (CentOS or RHEL 7 for el7, Debian 12 for debian12). */
    public boolean fits(Profile profile) {
        String major = versionId.split("\\.", 2)[0];
        return switch (profile) {
            case EL7 -> major.equals("7") && (EL.contains(id) || idLike.stream().anyMatch(EL::contains));
            case DEBIAN12 -> id.equals("debian") && major.equals("12");
        };
    }

    /** What a root of {@code profile} is, in words. */
    public static String expected(Profile profile) {
        return switch (profile) {
            case EL7 -> "CentOS 7 or RHEL 7";
            case DEBIAN12 -> "Debian 12";
        };
    }

    private static RootRelease osRelease(String text, String source) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.lines().toList()) {
            Matcher m = ASSIGNMENT.matcher(line.strip());
            if (m.matches()) {
                values.put(m.group(1), unquote(m.group(2)));
            }
        }
        String id = values.getOrDefault("ID", "linux");
        String name = values.getOrDefault("PRETTY_NAME", values.getOrDefault("NAME", id));
        List<String> like = Arrays.stream(values.getOrDefault("ID_LIKE", "").split("\\s+"))
                .filter(w -> !w.isEmpty()).toList();
        return new RootRelease(id, values.getOrDefault("VERSION_ID", ""), like, name, source);
    }

    /** Shell-like quoting as os-release(5) allows it: "…" with backslash escapes, or '…'. */
    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
            return v.substring(1, v.length() - 1);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replaceAll("\\\\([\"\\\\$`])", "$1");
        }
        return v;
    }

    /** The text of {@code rel} under {@code root} when every component is a real directory and it a regular file. */
    private static Optional<String> regularFile(Path root, String rel) throws IOException {
        Path p = root;
        String[] parts = rel.split("/");
        for (int i = 0; i < parts.length; i++) {
            p = p.resolve(parts[i]);
            boolean last = i == parts.length - 1;
            if (last ? !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) : !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
        }
        if (Files.size(p) > 64 * 1024) {
            return Optional.empty();
        }
        return Optional.of(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
    }
}

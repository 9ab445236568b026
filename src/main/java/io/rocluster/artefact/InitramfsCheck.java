package io.rocluster.artefact;

import io.rocluster.archive.FileEntry;
import io.rocluster.archive.Initramfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Whether an initramfs can mount an NFS root (FACTS "EL7 read-only root"): dracut's nfs module is listed in
 * {@code usr/lib/dracut/modules.txt} with a network module, its cmdline hook that parses {@code root=nfs:…}
 * is there, {@code nfs.ko} is there for the image's own kernel, and so is every network driver the spec
 * asks for (or it is built into that kernel).
 */
public final class InitramfsCheck {

    /**
     * One fact checked.
     *
     * @param what   what was checked
     * @param ok     whether it holds
     * @param detail the evidence (a path) or what is missing
     */
    public record Result(String what, boolean ok, String detail) {}

    private static final Pattern NFSROOT_HOOK = Pattern.compile("(usr/)?lib/dracut/hooks/cmdline/\\d+-parse-nfsroot\\.sh");

    private InitramfsCheck() {}

    /** Checks {@code image} for kernel {@code kernelVersion} and the network {@code drivers}. */
    public static List<Result> check(Path image, String kernelVersion, List<String> drivers) throws IOException {
        Initramfs initramfs = Initramfs.open(image);
        List<Initramfs.Entry> entries = initramfs.entries();
        Set<String> paths = entries.stream().map(Initramfs.Entry::path).collect(Collectors.toSet());
        List<Result> out = new ArrayList<>();

        String modulesTxt = initramfs.read("usr/lib/dracut/modules.txt")
                .map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
        Set<String> modules = modulesTxt == null ? Set.of()
                : modulesTxt.lines().map(String::strip).collect(Collectors.toSet());
        out.add(new Result("dracut module nfs", modules.contains("nfs"),
                modulesTxt == null ? "no usr/lib/dracut/modules.txt" : "usr/lib/dracut/modules.txt"
                        + (modules.contains("nfs") ? " lists nfs" : " does not list nfs")));
        boolean network = modules.contains("network") || modules.contains("network-legacy");
        out.add(new Result("dracut network module", network, network
                ? "modules.txt lists " + (modules.contains("network-legacy") ? "network-legacy" : "network")
                : "modules.txt lists neither network nor network-legacy"));

        String hook = paths.stream().filter(p -> NFSROOT_HOOK.matcher(p).matches()).sorted().findFirst().orElse(null);
        out.add(new Result("nfsroot cmdline hook", hook != null, hook != null ? hook
                : "no lib/dracut/hooks/cmdline/*-parse-nfsroot.sh"));

        String moduleDir = "lib/modules/" + kernelVersion + "/";
        List<String> modulePaths = paths.stream()
                .filter(p -> p.startsWith(moduleDir) || p.startsWith("usr/" + moduleDir)).sorted().toList();
        String builtin = initramfs.read("usr/" + moduleDir + "modules.builtin")
                .or(() -> readQuietly(initramfs, moduleDir + "modules.builtin"))
                .map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
        out.add(module("nfs.ko for kernel " + kernelVersion, "nfs", modulePaths, builtin));
        for (String d : drivers) {
            out.add(module("driver " + d, d, modulePaths, builtin));
        }
        return out;
    }

    /** A module file {@code name.ko[.xz|.zst|.gz]} in the kernel's tree, or a line of modules.builtin. */
    private static Result module(String what, String name, List<String> modulePaths, String builtin) {
        // Module names treat '-' and '_' alike.
        String norm = name.replace('-', '_');
        Pattern file = Pattern.compile(".*/(\\Q" + norm + "\\E)\\.ko(\\.xz|\\.zst|\\.gz)?");
        for (String p : modulePaths) {
            String base = p.substring(0, p.lastIndexOf('/') + 1) + p.substring(p.lastIndexOf('/') + 1).replace('-', '_');
            if (file.matcher(base).matches()) {
                return new Result(what, true, p);
            }
        }
        for (String line : builtin.lines().toList()) {
            String base = line.substring(line.lastIndexOf('/') + 1).replace('-', '_');
            if (base.equals(norm + ".ko")) {
                return new Result(what, true, "built into the kernel (" + line.strip() + ")");
            }
        }
        return new Result(what, false, "no " + name + ".ko in the initramfs's module tree");
    }

    private static java.util.Optional<byte[]> readQuietly(Initramfs initramfs, String path) {
        try {
            return initramfs.read(path);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Entries of an index carrying file capabilities. */
    public static List<String> filesWithCapabilities(List<FileEntry> files) {
        return files.stream().filter(f -> f.xattrs() != null && f.xattrs().containsKey("security.capability"))
                .map(FileEntry::path).toList();
    }
}

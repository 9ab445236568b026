package io.rocluster.readonly;

import io.rocluster.spec.ImageSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the readonly build stage puts into an image root, rendered from the effective spec: the files to
 * copy in ({@code /etc/sysconfig/readonly-root}, {@code /etc/rwtab.d/rocluster}, {@code /etc/statetab.d/rocluster},
 * {@code /etc/fstab}, {@code /etc/dracut.conf.d/rocluster.conf}, an empty {@code /etc/machine-id}, on el7
 * {@code /etc/selinux/config}, on debian12 with per-client keys an ssh.service drop-in) and the
 * {@link ImagePlan} of actions to apply. The same spec always renders the same bytes.
 *
 * @param files the files, sorted by path
 * @param plan  the actions
 */
public record ReadOnlyConfig(List<RenderedFile> files, ImagePlan plan) {

    public ReadOnlyConfig {
        files = files.stream().sorted((a, b) -> a.path().compareTo(b.path())).toList();
    }

    /** Renders the configuration of {@code spec} (an effective spec, as {@code SpecLoader} returns it). */
    public static ReadOnlyConfig of(ImageSpec spec) {
        List<RenderedFile> files = new ArrayList<>();
        files.add(ReadonlyRootFile.render(spec));
        files.add(TabFiles.rwtab(spec));
        files.add(TabFiles.statetab(spec));
        files.add(SystemFiles.fstab());
        files.add(SystemFiles.machineId());
        // The build's initramfs stage writes it first (it runs dracut with it); here too for rocluster apply,
        // and the readonly stage then finds it as wanted and leaves it.
        files.add(DracutConf.render(spec));
        files.addAll(SystemFiles.selinux(spec));
        files.addAll(SystemFiles.sshHostKeys(spec));
        return new ReadOnlyConfig(files, PlanRenderer.render(spec));
    }

    /** The rendered file at {@code path} in the image, if there is one. */
    public Optional<RenderedFile> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    /**
     * Writes the stage input the readonly stage script reads: {@code dir/files/<path>} for each file, with its
     * mode (directories 0755), and {@code dir/plan}. Existing files of the same names are replaced.
     */
    public void writeTo(Path dir) throws IOException {
        Path root = dir.resolve("files");
        for (RenderedFile f : files) {
            Path target = root.resolve(f.path().substring(1));
            createDirectories(root, target.getParent());
            Files.writeString(target, f.content(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(target, permissions(f.mode()));
        }
        Files.writeString(dir.resolve("plan"), plan.render(), StandardCharsets.UTF_8);
    }

    private static void createDirectories(Path root, Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (!dir.equals(root)) {
            createDirectories(root, dir.getParent());
        }
        Files.createDirectories(dir);
        // Copied onto the root's own directories (/etc, /etc/sysconfig…) by rsync -a: keep their usual mode.
        Files.setPosixFilePermissions(dir, permissions(0755));
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }
}

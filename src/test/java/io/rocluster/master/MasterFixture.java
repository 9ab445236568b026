package io.rocluster.master;

import io.rocluster.artefact.TestArtefacts;
import io.rocluster.artefact.TestManifests;
import io.rocluster.serving.PxeLoader;
import io.rocluster.spec.ImageSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A master in a temporary directory for unit tests of the switch logic: initialised by the real
 * {@link MasterInitService}; versions are laid out as deploy leaves them (images/&lt;v&gt;/ with
 * deploy.json and boot files, tftpboot/images/&lt;v&gt;/), with a one-file root, since promote, rollback and
 * gc only read deploy.json. Deploy itself is tested on real artefacts. Public for the boot test's tests, which
 * prepare a boot from such a master.
 */
public final class MasterFixture {

    public final MasterLayout layout;
    final ByteArrayOutputStream noticeBytes = new ByteArrayOutputStream();
    public final PrintStream notices = new PrintStream(noticeBytes, true, StandardCharsets.UTF_8);

    public MasterFixture(Path dir) {
        this.layout = new MasterLayout(dir.resolve("master"));
        Path loaders = dir.resolve("loaders");
        try {
            Files.createDirectories(loaders);
            Files.writeString(loaders.resolve("pxelinux.0"), "pxelinux");
            Files.writeString(loaders.resolve("ldlinux.c32"), "ldlinux");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        new MasterInitService(layout, new PxeLoader(loaders, loaders, loaders), notices).init("10.0.2.2", "10.0.2.0/24", 4, null, null, false);
    }

    public String notices() {
        return noticeBytes.toString(StandardCharsets.UTF_8);
    }

    /** Lays out a deployed version; deployedAt orders versions for gc. */
    public void deployed(String version, String deployedAt) throws IOException {
        Path image = layout.images().resolve(version);
        Files.createDirectories(image.resolve("root/etc"));
        Files.writeString(image.resolve("root/etc/os-release"), "ID=test\n");
        Files.createDirectories(image.resolve("boot"));
        Files.writeString(image.resolve("boot/vmlinuz"), "kernel " + version);
        Files.writeString(image.resolve("boot/initramfs.img"), "initramfs " + version);
        DeployRecord r = new DeployRecord(version, "test", "debian12", "6.1.0-test", "console=ttyS0", "", "sha-" + version,
                "msha-" + version, deployedAt, "root", "/artefacts/" + version, null, 0, 0, 1, 8, null, null);
        Files.write(image.resolve("deploy.json"), r.toJson());
        manifest(version, TestArtefacts.exampleSpec());
        Path tftp = layout.tftpImages().resolve(version);
        Files.createDirectories(tftp);
        Files.createLink(tftp.resolve("vmlinuz"), image.resolve("boot/vmlinuz"));
        Files.createLink(tftp.resolve("initramfs.img"), image.resolve("boot/initramfs.img"));
    }

    /** Gives a deployed version a manifest with {@code spec} (boot-test reads the spec's readonly mode). */
    public void manifest(String version, ImageSpec spec) throws IOException {
        TestManifests.write(layout.image(version), TestManifests.manifest(version, "6.1.0-test", List.of(), List.of(), spec,
                "0".repeat(64)));
    }

    public void deployed(String version) throws IOException {
        deployed(version, "2026-01-01T00:00:00Z".replace("01T", String.format("%02dT", 1 + Math.abs(version.hashCode()) % 27)));
    }

    public PromoteService promote() {
        return new PromoteService(layout, notices);
    }

    public String read(Path p) throws IOException {
        return Files.readString(p);
    }

    public String pxelinux() throws IOException {
        return read(layout.tftpboot().resolve("pxelinux.cfg/default"));
    }

    public String grub() throws IOException {
        return read(layout.tftpboot().resolve("grub/grub.cfg"));
    }

    public String ipxe() throws IOException {
        return read(layout.tftpboot().resolve("boot.ipxe"));
    }
}

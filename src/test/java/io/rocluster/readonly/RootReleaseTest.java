package io.rocluster.readonly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import io.rocluster.spec.ImageSpec.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which distribution a root directory is, from its own release files (as CentOS 7.9 and Debian 12 ship them). */
class RootReleaseTest {

    @TempDir
    Path root;

    @Test
    void centos7ThroughItsEtcOsReleaseSymlink() throws IOException {
        write("usr/lib/os-release", "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\n"
                + "VERSION_ID=\"7\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\n");
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/os-release"), Path.of("../usr/lib/os-release"));

        RootRelease r = RootRelease.read(root);

        assertThat(r).isEqualTo(new RootRelease("centos", "7", java.util.List.of("rhel", "fedora"),
                "CentOS Linux 7 (Core)", "usr/lib/os-release"));
        assertThat(r.fits(Profile.EL7)).isTrue();
        assertThat(r.fits(Profile.DEBIAN12)).isFalse();
    }

    @Test
    void debian12() throws IOException {
        write("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
                + "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nID=debian\n");

        RootRelease r = RootRelease.read(root);

        assertThat(r.name()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(r.fits(Profile.DEBIAN12)).isTrue();
        assertThat(r.fits(Profile.EL7)).isFalse();
    }

    @Test
    void otherReleasesOfTheSameFamilyDoNotFit() throws IOException {
        write("etc/os-release", "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"8.9\"\n");
        assertThat(RootRelease.read(root).fits(Profile.EL7)).isFalse();

        write("etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"7.9\"\nPRETTY_NAME='Red Hat Enterprise Linux Server 7.9'\n");
        assertThat(RootRelease.read(root).fits(Profile.EL7)).isTrue();
        assertThat(RootRelease.read(root).name()).isEqualTo("Red Hat Enterprise Linux Server 7.9");

        write("etc/os-release", "ID=debian\nVERSION_ID=\"11\"\n");
        assertThat(RootRelease.read(root).fits(Profile.DEBIAN12)).isFalse();
    }

    @Test
    void anOldRootWithOnlyCentosReleaseStillCounts() throws IOException {
        write("etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n");

        RootRelease r = RootRelease.read(root);

        assertThat(r.versionId()).isEqualTo("7.9.2009");
        assertThat(r.source()).isEqualTo("etc/centos-release");
        assertThat(r.fits(Profile.EL7)).isTrue();
    }

    @Test
    void aSymlinkOutOfTheRootIsNeverFollowed() throws IOException {
        // The machine running rocluster has an os-release of its own; a root must not borrow it.
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/os-release"), Path.of("/etc/os-release"));
        Files.createDirectories(root.resolve("usr"));
        Files.createSymbolicLink(root.resolve("usr/lib"), Path.of("/usr/lib"));

        assertThatThrownBy(() -> RootRelease.read(root))
                .isInstanceOf(RoclusterException.class)
                .hasMessage(root + " has no etc/os-release, usr/lib/os-release or etc/centos-release: it is not the root"
                        + " of a Linux system; give --root the client's root directory");
    }

    private void write(String rel, String text) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}

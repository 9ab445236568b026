package io.rocluster.nightly;

import io.rocluster.master.MasterLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * What {@code rocluster nightly} was asked.
 *
 * @param spec            the image spec
 * @param output          the artefact store the build writes to
 * @param master          the master to deploy on, boot-test against and promote on
 * @param keep            versions gc keeps besides the active, rollback and pinned ones
 * @param useCache        reuse the stage cache; by default a changed night builds from a fresh root, because the
 *                        cache is keyed on the spec and the scripts, not on the mirror
 * @param bootTimeout     how long the boot test's guest may take to report
 * @param sourceDateEpoch the mtime clamp asked for, or empty (the build derives it from the packages)
 * @param signKey         secret key the build signs the artefact with (a master that trusts keys deploys only
 *                        signed artefacts), or null
 * @param passphraseFile  passphrase of {@code signKey} when minisign encrypted it, or null
 */
public record NightlyRequest(Path spec, Path output, MasterLayout master, int keep, boolean useCache,
        Duration bootTimeout, OptionalLong sourceDateEpoch, Path signKey, Path passphraseFile) {}

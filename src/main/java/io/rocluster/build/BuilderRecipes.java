package io.rocluster.build;

import io.rocluster.RoclusterException;
import io.rocluster.container.BuilderImageRecipe;
import io.rocluster.spec.ImageSpec.Profile;
import java.util.Map;

/** The builder image of each profile (containers/<profile>/Containerfile). */
final class BuilderRecipes {

    /** Environment variable with the CentOS 7 vault's base URL (for 7.9.2009), passed to the el7 builder. */
    static final String EL7_MIRROR = "ROCLUSTER_EL7_MIRROR";

    private BuilderRecipes() {}

    static BuilderImageRecipe of(Profile profile, SourceTree sources) {
        return switch (profile) {
            case DEBIAN12 -> new BuilderImageRecipe("debian12", sources.containers().resolve("debian12"), "debian:12",
                    "create it offline with " + sources.containers().resolve("debian12/import-base.sh")
                            + " (debootstrap + docker import, mirror from this host's apt sources)",
                    Map.of());
            case EL7 -> {
                String mirror = System.getenv(EL7_MIRROR);
                if (mirror == null || mirror.isBlank()) {
                    throw new RoclusterException("el7 builds need the CentOS 7 vault: set " + EL7_MIRROR
                            + " to its 7.9.2009 base URL (see containers/el7/Containerfile)");
                }
                yield new BuilderImageRecipe("el7", sources.containers().resolve("el7"), "centos:7",
                        "docker load -i centos7.tar (saved with docker save centos:7 where a registry is reachable)",
                        Map.of("ROCLUSTER_EL7_MIRROR", mirror.strip()));
            }
        };
    }
}

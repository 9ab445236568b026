package io.rocluster.registry;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import land.oras.ContainerRef;
import land.oras.Descriptor;
import land.oras.Manifest;
import land.oras.Registry;
import land.oras.auth.NoAuthProvider;
import land.oras.auth.UsernamePasswordProvider;
import land.oras.exception.OrasException;

/**
 * One repository of one registry, over the OCI distribution API as oras-java speaks it (bearer-token and
 * basic authentication, HEAD before upload, streamed monolithic uploads). rocluster builds and checks the
 * manifests itself ({@link VersionManifest}) and verifies every byte it downloads; this class only moves
 * bytes and turns the library's errors into one line each.
 *
 * <p>Plain HTTP only for a loopback registry ({@link Reference#loopback()}), HTTPS with certificate checks
 * everywhere else.
 */
final class RegistryClient {

    /** A manifest as the registry served it. */
    record Fetched(String json, String mediaType) {}

    private final Reference ref;
    private final Registry registry;

    RegistryClient(Reference ref, DockerCredentials.Credential credential) {
        this.ref = ref;
        Registry.Builder b = Registry.builder().withInsecure(ref.loopback()).withSkipTlsVerify(false)
                .withAuthProvider(credential == null ? new NoAuthProvider()
                        : new UsernamePasswordProvider(credential.username(), credential.secret()));
        this.registry = b.build();
    }

    Reference reference() {
        return ref;
    }

    private ContainerRef at(String tagOrDigest) {
        String sep = tagOrDigest.startsWith("sha256:") ? "@" : ":";
        return ContainerRef.parse(ref.registry() + "/" + ref.repository() + sep + tagOrDigest);
    }

    private ContainerRef blob(String digest) {
        return ContainerRef.parse(ref.registry() + "/" + ref.repository() + "@" + digest);
    }

    /** Whether the repository holds the blob (HEAD /v2/NAME/blobs/DIGEST). */
    boolean hasBlob(String digest) {
        try {
            registry.fetchBlobDescriptor(blob(digest));
            return true;
        } catch (OrasException e) {
            if (status(e) == 404) {
                return false;
            }
            throw translate(e, "checking blob " + short12(digest));
        }
    }

    /** Uploads a blob whose digest and size are known; {@code content} may be asked for more than once. */
    void pushBlob(String digest, long size, Supplier<InputStream> content) {
        try {
            registry.pushBlob(blob(digest), size, content, Map.of());
        } catch (OrasException e) {
            throw translate(e, "uploading blob " + short12(digest));
        }
    }

    /** Opens a blob's bytes; the caller verifies them against the digest. */
    InputStream openBlob(String digest) {
        try {
            return registry.fetchBlob(blob(digest));
        } catch (OrasException e) {
            if (status(e) == 404) {
                throw new RoclusterException(ref + ": the registry lacks blob " + short12(digest)
                        + " that the version's manifest lists (damaged or garbage-collected storage): push the version again");
            }
            throw translate(e, "fetching blob " + short12(digest));
        }
    }

    /** The manifest a tag (or digest) names. */
    Fetched manifest(String tagOrDigest) {
        try {
            Descriptor d = registry.getDescriptor(at(tagOrDigest));
            return new Fetched(d.getJson(), d.getMediaType());
        } catch (OrasException e) {
            if (status(e) == 404) {
                throw new RoclusterException(ref.registry() + "/" + ref.repository() + ": no tag '" + tagOrDigest
                        + "' (or no such repository): push a version there first, or check the name");
            }
            throw translate(e, "reading the manifest of " + tagOrDigest);
        }
    }

    /** Whether the repository holds a manifest of this digest. */
    boolean hasManifest(String digest) {
        try {
            registry.getDescriptor(at(digest));
            return true;
        } catch (OrasException e) {
            if (status(e) == 404) {
                return false;
            }
            throw translate(e, "checking manifest " + short12(digest));
        }
    }

    /** Stores the manifest under {@code tag}, byte for byte. */
    void putManifest(String tag, byte[] json) {
        try {
            registry.pushManifest(at(tag), Manifest.fromJson(new String(json, StandardCharsets.UTF_8)));
        } catch (OrasException e) {
            throw translate(e, "storing the manifest under tag " + tag);
        }
    }

    private static int status(OrasException e) {
        Integer s = e.getStatusCode();
        return s == null ? -1 : s;
    }

    static String short12(String digest) {
        String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
        return hex.substring(0, Math.min(12, hex.length()));
    }

    /** One line for a failed request: what was being done, what went wrong, what to do. */
    RoclusterException translate(RuntimeException e, String doing) {
        int status = e instanceof OrasException o ? status(o) : -1;
        String where = ref.registry();
        if (status == 401 || status == 403) {
            return new RoclusterException(where + " refused access while " + doing + " (HTTP " + status
                    + "): log in with docker login " + where + " (credentials are read from DOCKER_CONFIG or"
                    + " ~/.docker/config.json)", e);
        }
        if (status == 429 || status >= 500) {
            return new RoclusterException(where + " failed while " + doing + " (HTTP " + status
                    + "): nothing was left half-written; run the command again later", e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return new RoclusterException("cannot reach the registry " + where + " while " + doing
                        + ": is it running and is the address right? Nothing was left half-written", e);
            }
            if (t instanceof SSLException) {
                return new RoclusterException(where + ": no valid HTTPS while " + doing + " (" + t.getMessage()
                        + "): rocluster speaks plain HTTP only to loopback registries; give this one a trusted certificate", e);
            }
            if (t instanceof HttpTimeoutException) {
                return new RoclusterException(where + " did not answer in time while " + doing
                        + ": nothing was left half-written; run the command again", e);
            }
            if (t instanceof IOException) {
                // The JDK's text for a broken transfer ("fixed content-length: …, bytes received: …") tells an
                // operator nothing more; --debug shows it.
                return new RoclusterException("the connection to " + where + " broke while " + doing
                        + ": nothing was left half-written; run the command again", e);
            }
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new RoclusterException(where + " answered unexpectedly while " + doing + " (" + firstLine(detail)
                + (status > 0 ? ", HTTP " + status : "") + "): check that it is an OCI registry", e);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}

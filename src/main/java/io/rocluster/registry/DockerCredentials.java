package io.rocluster.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rocluster.RoclusterException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Registry credentials from the standard Docker client configuration, so that {@code docker login} (or any
 * tool writing the same file) is all an operator does: {@code $DOCKER_CONFIG/config.json}, else
 * {@code ~/.docker/config.json}. Per registry ({@code host[:port]}), in Docker's order: a
 * {@code credHelpers} entry runs {@code docker-credential-NAME get}; else an {@code auths} entry's
 * {@code auth} (base64 of {@code user:password}); else a {@code credsStore} helper; else anonymous.
 * An {@code identitytoken} (OAuth refresh token) is not supported and is refused with one line.
 */
public final class DockerCredentials {

    /** A user name and password (or token) for one registry. */
    public record Credential(String username, String secret) {
        @Override
        public String toString() {
            return "Credential[" + username + ", ****]"; // never print a secret, even with --debug
        }
    }

    private final Path file;
    private final JsonNode config;

    private DockerCredentials(Path file, JsonNode config) {
        this.file = file;
        this.config = config;
    }

    /** Reads the configuration the environment names; a missing file means anonymous access. */
    public static DockerCredentials fromEnvironment(Map<String, String> env) {
        String dir = env.get("DOCKER_CONFIG");
        Path file = dir != null && !dir.isEmpty() ? Path.of(dir, "config.json")
                : Path.of(System.getProperty("user.home"), ".docker", "config.json");
        return read(file);
    }

    static DockerCredentials read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new DockerCredentials(file, null);
        }
        try {
            JsonNode n = new ObjectMapper().readTree(Files.readAllBytes(file));
            if (n == null || !n.isObject()) {
                throw new IOException("not a JSON object");
            }
            return new DockerCredentials(file, n);
        } catch (IOException e) {
            throw new RoclusterException(file + ": not a readable Docker config (" + e.getMessage()
                    + "): fix it, or point DOCKER_CONFIG at a directory with a valid config.json");
        }
    }

    /** The credential for {@code registry} ({@code host[:port]}), or null for anonymous access. */
    public Credential lookup(String registry) {
        if (config == null) {
            return null;
        }
        String helper = text(config.path("credHelpers").get(registry));
        if (helper != null) {
            return helper(helper, registry);
        }
        JsonNode auth = authEntry(registry);
        if (auth != null) {
            String encoded = text(auth.get("auth"));
            if (encoded != null && !encoded.isEmpty()) {
                return decode(encoded, registry);
            }
            if (text(auth.get("identitytoken")) != null) {
                throw new RoclusterException(file + ": the entry for " + registry + " holds an identitytoken, which rocluster"
                        + " does not support: log in with a user name and password or token (docker login -u USER)");
            }
        }
        String store = text(config.get("credsStore"));
        return store == null || store.isEmpty() ? null : helper(store, registry);
    }

    private JsonNode authEntry(String registry) {
        JsonNode auths = config.get("auths");
        if (auths == null || !auths.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            // Keys are "host[:port]" or, as older clients wrote them, "https://host[:port]/v1/".
            String key = e.getKey().replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "");
            if (key.equalsIgnoreCase(registry)) {
                return e.getValue();
            }
        }
        return null;
    }

    private Credential decode(String encoded, String registry) {
        String plain;
        try {
            plain = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            plain = "";
        }
        int colon = plain.indexOf(':');
        if (colon <= 0) {
            throw new RoclusterException(file + ": the auth of " + registry
                    + " is not base64 of user:password: run docker login " + registry + " again");
        }
        return new Credential(plain.substring(0, colon), plain.substring(colon + 1));
    }

    private Credential helper(String name, String registry) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new RoclusterException(file + ": credential helper '" + name + "' is not a plain name: fix the config");
        }
        String program = "docker-credential-" + name;
        try {
            Process p = new ProcessBuilder(program, "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().write(registry.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RoclusterException(program + " did not answer in 60 s: check the credential helper");
            }
            if (p.exitValue() != 0) {
                return null; // the helper has nothing for this registry: anonymous, as Docker does
            }
            JsonNode n = new ObjectMapper().readTree(out);
            String user = text(n.get("Username"));
            String secret = text(n.get("Secret"));
            if (user == null || secret == null) {
                throw new RoclusterException(program + " answered without Username and Secret: check the credential helper");
            }
            if (user.equals("<token>")) {
                throw new RoclusterException(program + " holds an identity token for " + registry
                        + ", which rocluster does not support: log in with a user name and password or token");
            }
            return new Credential(user, secret);
        } catch (IOException e) {
            throw new RoclusterException(file + " names the credential helper " + program
                    + " but it cannot be run (" + e.getMessage() + "): install it or fix the config");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoclusterException("interrupted while asking " + program + " for credentials");
        }
    }

    private static String text(JsonNode n) {
        return n == null || !n.isTextual() ? null : n.asText();
    }
}

package io.rocluster.artefact.signature;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** {@code rocluster key generate}: a new minisign key pair in two files, the secret one readable by its owner only. */
public final class KeyFiles {

    /**
     * The generated pair.
     *
     * @param keyId      the key id, as minisign prints it
     * @param secretKey  where the secret key is (mode 0600)
     * @param publicKey  where the public key is
     */
    public record Generated(String keyId, Path secretKey, Path publicKey) {}

    private KeyFiles() {}

    /**
     * Writes a new unencrypted key pair; existing files are never overwritten (a lost secret key cannot be
     * recovered, and a replaced one silently breaks every master that trusts it).
     */
    public static Generated generate(Path secretFile, Path publicFile, String comment) throws IOException {
        for (Path p : new Path[] {secretFile, publicFile}) {
            if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new RoclusterException(p + " already exists: keys are never overwritten; choose another path,"
                        + " or remove it if you mean to retire that key");
            }
        }
        if (secretFile.toAbsolutePath().normalize().equals(publicFile.toAbsolutePath().normalize())) {
            throw new RoclusterException("--secret-key and --public-key name the same file: give two paths");
        }
        MinisignSecretKey key = MinisignSecretKey.generate();
        String secretComment = comment == null ? "rocluster secret key " + key.publicKey().keyIdHex() : comment;
        write(secretFile, key.text(secretComment), "rw-------");
        try {
            write(publicFile, key.publicKey().text(), "rw-r--r--");
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(secretFile);
            throw e;
        }
        return new Generated(key.publicKey().keyIdHex(), secretFile, publicFile);
    }

    private static void write(Path file, String text, String mode) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new RoclusterException("cannot write " + file + ": " + parent + " does not exist; create it first");
        }
        // Created with its final mode: the secret key is never readable by others, not even for an instant.
        try (OutputStream out = Files.newOutputStream(Files.createFile(file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))), StandardOpenOption.WRITE)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (FileAlreadyExistsException e) {
            throw new RoclusterException(file + " already exists: keys are never overwritten; choose another path");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode)); // the umask may have narrowed it
    }
}

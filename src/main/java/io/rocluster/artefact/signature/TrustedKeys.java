package io.rocluster.artefact.signature;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A directory of trusted minisign public keys, one {@code <KEYID>.pub} file each (the files {@code minisign -G}
 * and {@code rocluster key generate} write), owned by whoever verifies: a master keeps its own beside
 * master.yaml, never taking keys from what it verifies.
 */
public final class TrustedKeys {

    /** A key file's name for a key. */
    public static String fileName(MinisignPublicKey key) {
        return key.keyIdHex() + ".pub";
    }

    private TrustedKeys() {}

    /**
     * The keys in {@code dir}, by key id; none when it does not exist.
     *
     * @throws RoclusterException for a file that is not a key, or whose name is not its key's id
     */
    public static List<MinisignPublicKey> read(Path dir) throws IOException {
        List<MinisignPublicKey> keys = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return keys;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.pub")) {
            for (Path p : ds) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new RoclusterException(p + " is not a regular file: trusted keys are plain files; remove it"
                            + " and add the key again with rocluster master trust add");
                }
                MinisignPublicKey k = MinisignPublicKey.read(p);
                if (!p.getFileName().toString().equals(fileName(k))) {
                    throw new RoclusterException(p + " holds key " + k.keyIdHex() + ", not the one its name says: remove it"
                            + " and add the key again with rocluster master trust add");
                }
                keys.add(k);
            }
        }
        keys.sort(Comparator.comparing(MinisignPublicKey::keyIdHex));
        return keys;
    }
}

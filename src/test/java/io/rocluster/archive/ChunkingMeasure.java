package io.rocluster.archive;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Measures how much of a second rootfs tarball is new relative to a first one under several chunking
 * parameters (not a test: run by hand, the figures are in the README). Usage: OLD.tar.zst NEW.tar.zst.
 */
public final class ChunkingMeasure {

    public static void main(String[] args) throws Exception {
        Path oldTar = Path.of(args[0]);
        Path newTar = Path.of(args[1]);
        List<TarChunker.Params> variants = new ArrayList<>();
        int k = 1024;
        variants.add(new TarChunker.Params(256 * k, 1024 * k, 256 * k, 1024 * k, 8192 * k, 1L << 40)); // plain CDC 1M, no tar awareness
        variants.add(new TarChunker.Params(64 * k, 256 * k, 64 * k, 256 * k, 8192 * k, 1L << 40)); // plain CDC 256K
        variants.add(new TarChunker.Params(32 * k, 128 * k, 512 * k, 1024 * k, 8192 * k, 128 * k)); // default
        variants.add(new TarChunker.Params(16 * k, 64 * k, 512 * k, 1024 * k, 8192 * k, 64 * k));
        variants.add(new TarChunker.Params(64 * k, 256 * k, 512 * k, 1024 * k, 8192 * k, 256 * k));
        variants.add(new TarChunker.Params(128 * k, 512 * k, 1024 * k, 2048 * k, 8192 * k, 512 * k));
        variants.add(new TarChunker.Params(256 * k, 1024 * k, 1024 * k, 4096 * k, 16384 * k, 1024 * k));
        System.out.printf("%-44s %7s %7s %12s %12s %12s %7s%n", "params (smallMin/Avg dataMin/Avg big)", "chunks", "new",
                "new tar MB", "new zst MB", "full zst MB", "ratio");
        for (TarChunker.Params p : variants) {
            Map<String, Long> oldChunks = chunks(oldTar, p, null);
            Map<String, Long> newSizes = new HashMap<>();
            Map<String, Long> newChunks = chunks(newTar, p, newSizes);
            long newTarBytes = 0;
            long newZst = 0;
            long fullZst = 0;
            int newCount = 0;
            for (Map.Entry<String, Long> e : newChunks.entrySet()) {
                fullZst += newSizes.get(e.getKey());
                if (!oldChunks.containsKey(e.getKey())) {
                    newCount++;
                    newTarBytes += e.getValue();
                    newZst += newSizes.get(e.getKey());
                }
            }
            System.out.printf("%-44s %7d %7d %12.1f %12.1f %12.1f %6.1f%%%n",
                    p.smallMin() / k + "K/" + p.smallAvg() / k + "K " + p.dataMin() / k + "K/" + p.dataAvg() / k + "K "
                            + (p.bigFile() >= 1L << 40 ? "-" : p.bigFile() / k + "K"),
                    newChunks.size(), newCount, newTarBytes / 1e6, newZst / 1e6, fullZst / 1e6, 100.0 * newZst / fullZst);
        }
    }

    /** Unique chunks (digest to uncompressed size); with {@code zstSizes}, also each chunk's frame size. */
    private static Map<String, Long> chunks(Path tarZst, TarChunker.Params p, Map<String, Long> zstSizes) throws Exception {
        Map<String, Long> out = new HashMap<>();
        Set<String> seen = new HashSet<>();
        TarChunker c = new TarChunker(p, (data, len) -> {
            Sha256 md = Sha256.create();
            md.update(data, 0, len);
            String d = md.hex();
            if (seen.add(d)) {
                out.put(d, (long) len);
                if (zstSizes != null) {
                    zstSizes.put(d, (long) FramedZstdOutputStream.compress(java.util.Arrays.copyOf(data, len), 3).length);
                }
            }
        });
        try (InputStream in = Compression.decompress(Files.newInputStream(tarZst))) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                c.write(buf, 0, n);
            }
        }
        c.finish();
        return out;
    }
}

package io.rocluster.archive;

/**
 * What a pack produced.
 *
 * @param entries          tar entries written, the archive root included
 * @param tarSize          bytes of the uncompressed tar stream
 * @param tarSha256        SHA-256 of the uncompressed tar stream (the rootfs digest of the manifest)
 * @param compressedSize   bytes of the file as stored, or -1 when packing to a stream
 * @param compressedSha256 SHA-256 of the file as stored, or null when packing to a stream
 */
public record PackResult(long entries, long tarSize, String tarSha256, long compressedSize, String compressedSha256) {}

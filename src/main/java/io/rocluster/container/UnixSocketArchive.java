package io.rocluster.container;

import io.rocluster.RoclusterException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code GET /containers/{id}/archive?path=…} of the Docker engine API, spoken directly over the engine's Unix
 * socket. docker-java's transport delivers this stream at about 20 MB/s here while the engine sends it at
 * 280 MB/s (a built root: 35 s against 2.4 s); this reader keeps up. HTTP/1.1 with chunked transfer
 * coding, as the engine answers; the connection is closed with the stream.
 */
final class UnixSocketArchive {

    private UnixSocketArchive() {}

    static InputStream open(Path socket, String containerId, String path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(ch);
            String request = "GET /containers/" + containerId + "/archive?path="
                    + URLEncoder.encode(path, StandardCharsets.UTF_8) + " HTTP/1.1\r\n"
                    + "Host: docker\r\nAccept: application/x-tar\r\nConnection: close\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 1 << 20);
            String status = line(in);
            boolean chunked = false;
            long length = -1;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(h.substring(h.indexOf(':') + 1).trim());
                }
            }
            InputStream body = chunked ? new Chunked(in) : length >= 0 ? new Limited(in, length) : in;
            if (!status.matches("HTTP/1\\.[01] 200 .*")) {
                String message = new String(body.readAllBytes(), StandardCharsets.UTF_8).strip();
                ch.close();
                throw new RoclusterException("the Docker engine refused to stream " + path + " of container " + containerId
                        + ": " + status + " " + message);
            }
            return new FilterInputStream(body) {
                @Override
                public void close() throws IOException {
                    ch.close();
                }
            };
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the Docker engine closed the connection in a response header");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** HTTP/1.1 chunked transfer coding (RFC 9112 §7.1); trailers are skipped. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long remaining;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        private boolean nextChunk() throws IOException {
            if (done) {
                return false;
            }
            if (remaining == 0) {
                String size = line(in);
                int semi = size.indexOf(';');
                remaining = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (remaining == 0) {
                    while (!line(in).isEmpty()) {
                        // trailer fields
                    }
                    done = true;
                    return false;
                }
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!nextChunk()) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("the Docker engine closed the archive stream in the middle of a chunk");
            }
            remaining -= n;
            if (remaining == 0 && !line(in).isEmpty()) {
                throw new IOException("malformed chunked stream from the Docker engine");
            }
            return n;
        }
    }

    /** A body of known length. */
    private static final class Limited extends FilterInputStream {
        private long remaining;

        Limited(InputStream in, long length) {
            super(in);
            remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int c = super.read();
            if (c >= 0) {
                remaining--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}

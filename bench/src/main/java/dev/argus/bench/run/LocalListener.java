package dev.argus.bench.run;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The process of this machine listening on a loopback TCP port, found through {@code /proc/net/tcp*} (the socket's
 * inode) and {@code /proc/PID/fd} (who holds it). Lets a benchmark of a server on this machine (another Argus, the
 * transformers.js peer) report the server's CPU and memory, not the load generator's.
 */
final class LocalListener {
    private static final String LISTEN = "0A";

    private LocalListener() {
    }

    /** The listening process behind a benchmark target ({@code http://127.0.0.1:8080}, {@code localhost:50051}). */
    static Optional<Long> pidFor(String target) {
        String t = target.contains("://") ? target : "tcp://" + target;
        URI uri;
        try {
            uri = URI.create(t);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String host = uri.getHost();
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        if (host == null || !loopback(host)) {
            return Optional.empty();
        }
        return pidListeningOn(Path.of("/proc"), port);
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    static Optional<Long> pidListeningOn(Path proc, int port) {
        Set<String> sockets = new HashSet<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            try {
                for (String line : Files.readAllLines(proc.resolve(table))) {
                    inode(line, port).ifPresent(sockets::add);
                }
            } catch (IOException e) {
                // no IPv6 table, or no /proc: nothing listens that we can see
            }
        }
        if (sockets.isEmpty()) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path pid : pids) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
                    for (Path fd : fds) {
                        String link = Files.readSymbolicLink(fd).toString();
                        if (link.startsWith("socket:[") && sockets.contains(link.substring(8, link.length() - 1))) {
                            return Optional.of(Long.parseLong(pid.getFileName().toString()));
                        }
                    }
                } catch (IOException | SecurityException | UnsupportedOperationException e) {
                    // a process that ended, or one we may not look into
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The socket inode of a {@code /proc/net/tcp} row listening on {@code port}. */
    static Optional<String> inode(String row, int port) {
        String[] f = row.trim().split("\\s+");
        if (f.length < 10 || !f[3].equals(LISTEN)) {
            return Optional.empty();
        }
        int colon = f[1].lastIndexOf(':');
        try {
            return colon > 0 && Integer.parseInt(f[1].substring(colon + 1), 16) == port ? Optional.of(f[9]) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The process's command name ({@code /proc/PID/comm}), for reports. */
    static String command(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}

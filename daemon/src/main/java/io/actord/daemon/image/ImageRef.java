package io.actord.daemon.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An image on the daemon's host, written as skopeo writes image names: {@code oci:PATH[:TAG|@DIGEST]} (an
 * OCI image layout, a directory or a tar of one; {@code oci-archive:} is the same) or
 * {@code docker-archive:PATH[:NAME:TAG]} ({@code docker save}'s tar). A colon inside PATH is allowed: the
 * longest prefix that exists on the host is the path.
 *
 * @param reference the tag, {@code sha256:...} digest or (docker-archive) repository tag choosing one image
 */
public record ImageRef(Transport transport, Path path, Optional<String> reference) {
    /** How the image is laid out. */
    public enum Transport {
        OCI("oci"), DOCKER_ARCHIVE("docker-archive");

        private final String prefix;

        Transport(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    public static ImageRef parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new ImageException("image '" + text + "' must be oci:PATH[:TAG] or docker-archive:PATH[:NAME:TAG]");
        }
        Transport transport = switch (text.substring(0, colon)) {
            case "oci", "oci-archive" -> Transport.OCI;
            case "docker-archive" -> Transport.DOCKER_ARCHIVE;
            default -> throw new ImageException("image '" + text + "': unknown transport '" + text.substring(0, colon)
                    + "' (oci:, oci-archive: or docker-archive:)");
        };
        String rest = text.substring(colon + 1);
        if (!rest.startsWith("/")) {
            throw new ImageException("image '" + text + "': the path must be absolute (a path on the daemon's host)");
        }
        int at = rest.indexOf('@');
        if (at > 0 && transport == Transport.OCI && !Files.exists(Path.of(rest))) {
            return new ImageRef(transport, Path.of(rest.substring(0, at)), Optional.of(rest.substring(at + 1)));
        }
        if (Files.exists(Path.of(rest))) {
            return new ImageRef(transport, Path.of(rest), Optional.empty());
        }
        for (int i = rest.indexOf(':'); i > 0; i = rest.indexOf(':', i + 1)) {
            if (Files.exists(Path.of(rest.substring(0, i)))) {
                String ref = rest.substring(i + 1);
                return new ImageRef(transport, Path.of(rest.substring(0, i)), ref.isEmpty() ? Optional.empty()
                        : Optional.of(ref));
            }
        }
        throw new ImageException("image '" + text + "': no such file or directory on the daemon's host");
    }

    @Override
    public String toString() {
        return transport.prefix() + ":" + path + reference.map(r -> (r.startsWith("sha256:") ? "@" : ":") + r)
                .orElse("");
    }
}

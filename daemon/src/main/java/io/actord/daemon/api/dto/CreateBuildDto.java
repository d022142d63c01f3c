package io.actord.daemon.api.dto;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The body of POST /v2/acts/{id}/builds (an actord extension: Apify builds from source, actord from a
 * rootfs on the daemon's host).
 *
 * @param rootfs  an absolute path to a directory or tar file on the daemon's host
 * @param cmd     the entrypoint: an array (exec form) or a string (run by /bin/sh -c, as Docker's shell form)
 * @param tags    the tags the build takes over; default ["latest"]
 */
public record CreateBuildDto(String rootfs, JsonNode cmd, List<String> tags, Map<String, String> env, String workDir) {
}

package io.actord.daemon.api.dto;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The body of POST /v2/acts/{id}/builds (an actord extension: Apify builds from source, actord imports an
 * image or a rootfs on the daemon's host). Exactly one of {@code image} and {@code rootfs}.
 *
 * @param image   {@code oci:PATH[:TAG|@DIGEST]} or {@code docker-archive:PATH[:NAME:TAG]}, paths on the host
 * @param rootfs  an absolute path to a directory or tar file on the daemon's host
 * @param cmd     the entrypoint: an array (exec form) or a string (run by /bin/sh -c, as Docker's shell form);
 *                default the image's Entrypoint and Cmd
 * @param tags    the tags the build takes over; default ["latest"]
 * @param env     laid over the image's Env
 * @param workDir default the image's WorkingDir, else "/"
 * @param user    {@code user[:group]} by name or number; default the image's User, else root
 * @param version the actor version {@code MAJOR.MINOR} the build belongs to (its number is version.N); default 0.0
 * @param actorDefinition the build's {@code .actor/actor.json} with its {@code input} schema as an object
 * @param inputSchema     the build's input schema alone (an object, or a string of JSON)
 */
public record CreateBuildDto(String image, String rootfs, JsonNode cmd, List<String> tags, Map<String, String> env,
                             String workDir, String user, String version, JsonNode actorDefinition,
                             JsonNode inputSchema) {
}

package io.actord.runtime.process;

import io.actord.runtime.ProcessLimits;
import io.actord.runtime.security.SecurityProfile;

import java.util.List;
import java.util.Objects;

/**
 * Everything actord-init is told (its whole configuration; it reads no file of its own).
 *
 * @param args     the entrypoint and its arguments; args.get(0) is looked up in the PATH of {@code env}
 * @param env      "NAME=value" entries
 * @param workDir  where the entrypoint starts, inside the container
 * @param uid      the workload's user
 * @param gid      the workload's group
 * @param groups   its supplementary groups
 * @param security what is taken away before the exec
 * @param userNamespace whether init joins the user namespace it inherits as fd 6 ({@link InitProtocol#FD_USERNS})
 *                 before it drops privileges: uid, gid and groups are then the namespace's ids
 * @param limits   resource limits and oom_score_adj, set before the privileges are dropped
 */
public record InitConfig(List<String> args, List<String> env, String workDir, int uid, int gid,
                         List<Integer> groups, SecurityProfile security, boolean userNamespace,
                         ProcessLimits limits) {
    public InitConfig {
        Objects.requireNonNull(limits, "limits");
        args = List.copyOf(args);
        env = List.copyOf(env);
        groups = List.copyOf(groups);
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(security, "security");
    }

    /** With every run's {@link ProcessLimits#RUN_DEFAULT}. */
    public InitConfig(List<String> args, List<String> env, String workDir, int uid, int gid, List<Integer> groups,
                      SecurityProfile security, boolean userNamespace) {
        this(args, env, workDir, uid, gid, groups, security, userNamespace, ProcessLimits.RUN_DEFAULT);
    }

    /** In the host's user namespace. */
    public InitConfig(List<String> args, List<String> env, String workDir, int uid, int gid, List<Integer> groups,
                      SecurityProfile security) {
        this(args, env, workDir, uid, gid, groups, security, false);
    }

    /** The same process settings for another command (an exec into the container). */
    public InitConfig withArgs(List<String> command) {
        return new InitConfig(command, env, workDir, uid, gid, groups, security, userNamespace, limits);
    }
}

package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Query;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Humanize;
import io.actord.cli.output.Output;
import io.actord.cli.output.Table;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Objects;

/** {@code actorctl cluster hosts}: the cluster as this daemon sees it (the admin's, over the admin socket). */
@Command(name = "cluster", description = "The cluster this daemon is a member of (--cluster etcd://…).",
        subcommands = {ClusterCommand.Hosts.class})
public final class ClusterCommand {
    static final String PATH = "/v2/actord/cluster/hosts";

    /** {@code actorctl cluster hosts}: one row per host with a live lease, and where this one stands. */
    @Command(name = "hosts", description = "List the hosts with a live lease in etcd: API URL, run memory, free memory.")
    static final class Hosts extends ApiCommand {
        @Mixin
        OutputOptions format;

        @Override
        protected int execute(DaemonClient api, Output out) {
            ApiResponse answer = api.get(Query.path(PATH));
            if (out.json()) {
                out.json(answer.body());
                return 0;
            }
            JsonNode data = answer.data();
            String self = Fields.text(data, "hostId");
            Table table = new Table("HOST", "API", "CAPACITY", "FREE", "UPDATED");
            for (JsonNode host : items(data)) {
                String id = Fields.text(host, "hostId");
                String name = id + (Objects.equals(id, self) ? " (this host)" : "")
                        + (host.path("drained").asBoolean() ? " (drained)" : "");
                table.row(name, Fields.text(host, "apiUrl"),
                        Fields.number(host, "capacityMbytes") + " MB", Fields.number(host, "freeMbytes") + " MB",
                        Humanize.ago(Fields.instant(host, "updatedAt"), out.now()));
            }
            out.print(table);
            String reason = Fields.text(data, "reason");
            out.note(self + " is " + Fields.text(data, "phase") + " since "
                    + Humanize.ago(Fields.instant(data, "since"), out.now()) + " (lease TTL "
                    + Fields.number(data, "leaseTtlSecs") + " s)" + (reason == null ? "" : ": " + reason)
                    + (data.path("claiming").asBoolean(true) ? "" : "; it takes no runs (out, or drained)"));
            return 0;
        }
    }
}

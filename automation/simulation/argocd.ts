import { clusterOfContext, importInto } from "./cluster";
import { parseFlags, Tool, ToolFailure } from "./tool";

/**
 * The simulated argocd CLI: `argocd admin import -n <namespace> -` into the cluster of
 * `--context` (or the current one), reading the export from standard input. Its effect and
 * output are {@link importInto}'s; `--prune` is refused, since no recovery command may
 * delete Argo CD objects.
 */
export const argocd: Tool = (call) => {
    const { flags, positional } = parseFlags(call.args, {
        boolean: ["prune", "dry-run", "verbose"],
        aliases: { "-n": "namespace", "--namespace": "namespace" },
    });
    if (positional[0] !== "admin" || positional[1] !== "import" || positional[2] !== "-") {
        throw new ToolFailure(
            1,
            `the simulated argocd models only: argocd admin import -n <namespace> - (got ${call.args.join(" ")})`,
        );
    }
    if (flags.prune === "true") {
        throw new ToolFailure(
            1,
            "the simulated argocd does not prune: a recovery never deletes Argo CD objects",
        );
    }
    const cluster = clusterOfContext(call.world, flags.context, "argocd");
    const stream =
        call.stdin === undefined
            ? ""
            : Buffer.isBuffer(call.stdin)
              ? call.stdin.toString("utf8")
              : call.stdin;
    const lines = importInto(cluster, stream, call.now);
    if (lines.length > 0) {
        call.world.record(`argocd import ${lines.length} objects on ${cluster.name}`);
    }
    return { stdout: lines.map((line) => `${line}\n`).join("") };
};

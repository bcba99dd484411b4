import { StackConfig } from "../../config/stack-config";
import { natGatewayCount } from "../../lib/network-layout";
import { costSummary } from "../bench/posture-report";
import { postureCost, standingNatLayout, standingNodeCount } from "../bench/costs";
import { postureRpo } from "../bench/recovery-points";
import { Posture } from "../bench/up-phases";

/*
 * The three DR postures side by side, for the runbook and the README: what each keeps standing
 * in the DR region, the failover's projected RTO (the benchmark's simulated failover of it), the
 * RPO of a region loss and of the fallback, and the standing monthly cost, all from the same
 * functions `npm run bench:failover` prints, so neither document can drift from the benchmark.
 */

/** The postures, cheapest first. */
const POSTURES: readonly Posture[] = ["pilot", "warm", "hot"];

/** One posture's row. */
export interface PostureRow {
    /** The posture (`webank:posture`). */
    readonly posture: Posture;
    /** What the dr stack keeps standing before a failover. */
    readonly standing: string;
    /** The projected RTO of its failover, in minutes (simulated). */
    readonly rtoMinutes: number;
    /** The RPO of a region loss, in a few words. */
    readonly rpo: string;
    /** The fallback RPO (the DR vault), in a few words. */
    readonly fallbackRpo: string;
    /** The standing monthly cost's one-line summary (priced total, unpriced and unverified lines). */
    readonly cost: string;
}

/** What `posture` keeps standing, from the counts the program and the cost model share. */
function standing(config: StackConfig, posture: Posture): string {
    const nats = natGatewayCount(standingNatLayout(posture));
    const network = `network with ${nats} NAT gateway${nats === 1 ? "" : "s"}, alert topic`;
    if (posture === "pilot") {
        return `${network}; no cluster, no database`;
    }
    const nodes = standingNodeCount(config, posture);
    const cluster = `a ${nodes}-node cluster with Argo CD`;
    return posture === "warm"
        ? `${network}; ${cluster}, no root app; no database`
        : `${network}; ${cluster} in HA, root app synced; the encrypted cross-Region read replica`;
}

/** The rows, projecting each failover (`project`: the benchmark's, a parameter for tests). */
export async function postureRows(
    config: StackConfig,
    project: (config: StackConfig, posture: string) => Promise<{ minutes: number }>,
): Promise<PostureRow[]> {
    const rows: PostureRow[] = [];
    for (const posture of POSTURES) {
        const rpo = postureRpo(config, posture);
        rows.push({
            posture,
            standing: standing(config, posture),
            rtoMinutes: (await project(config, posture)).minutes,
            rpo: rpo.summary,
            fallbackRpo: rpo.fallbackSummary,
            cost: costSummary(postureCost(config, posture)),
        });
    }
    return rows;
}

/** The rows as a Markdown table. */
export function renderPostureTable(rows: readonly PostureRow[]): string {
    return [
        "| posture | standing in the DR region | failover RTO (projected) | RPO of a region loss | fallback RPO (DR vault) | standing cost a month |",
        "| --- | --- | --- | --- | --- | --- |",
        ...rows.map(
            (r) =>
                `| ${r.posture} | ${r.standing} | ${r.rtoMinutes.toFixed(1)} min | ${r.rpo} | ${r.fallbackRpo} | ${r.cost} |`,
        ),
    ].join("\n");
}

import type { StackConfig } from "../../../config/stack-config";
import { lockTableName } from "../../../lib/naming";
import type { RecoveryPorts } from "../../ports";
import { readJournal } from "../../run/journal";
import { runLocations } from "../../run/locations";
import type { CommandContext } from "../definition";
import { isRunning } from "../lock/holder-journal";
import { AssetStatus, DrStackStatus, messageOf, Verdict } from "./document";

/*
 * The rows of `npm run dr -- status` that are no copy's age: whether a failover could start
 * now and meet its objective. Fresh copies are not enough at 3 a.m.: the DR stack must be
 * readable, DNS failover must be something the failover can switch, no other failover may
 * hold the lock or have left a journal half done, and the posture must be fast enough.
 */

/** What status reads besides the ports: the config, and where (and whether) journals are a rehearsal's. */
export type StatusContext = Pick<CommandContext, "config" | "ports" | "simulated" | "workDir">;

/** The id of the DNS failover row, the one row whose failure alone is `not-managed`. */
export const DNS_FAILOVER_ID = "dns-failover";

/** What a readiness row is before its lookup: everything but the verdict and the note. */
type RowFrame = Pick<AssetStatus, "id" | "title" | "where" | "check">;

/** What a readiness lookup found. */
interface Finding {
    readonly verdict: Verdict;
    readonly note: string;
}

/** A readiness row: no asset class, copy time or limit, since it judges a condition, not an age. */
function readinessRow(frame: RowFrame, finding: Finding): AssetStatus {
    return {
        ...frame,
        assetClass: null,
        newest: null,
        behindMinutes: null,
        rpoMinutes: null,
        limitMinutes: null,
        ...finding,
    };
}

/** Runs one readiness lookup; a failed lookup is the row's UNREACHABLE verdict, not a stop. */
async function looked(frame: RowFrame, read: () => Finding | Promise<Finding>): Promise<AssetStatus> {
    try {
        return readinessRow(frame, await read());
    } catch (error) {
        return readinessRow(frame, { verdict: "UNREACHABLE", note: `lookup failed: ${messageOf(error)}` });
    }
}

/** A command of this tool as the operator types it; a rehearsal's look stays in the rehearsal. */
function drCommand(words: string, simulated: boolean): string {
    return `npm run dr -- ${words}${simulated ? " --simulate" : ""}`;
}

/** Reads the DR stack's posture; an unreachable stack is a failing row, not a stop. */
export async function drStackRow(ports: RecoveryPorts): Promise<{ stack: DrStackStatus; row: AssetStatus }> {
    const name = "dr";
    const frame: RowFrame = {
        id: "dr-stack",
        title: "DR stack",
        where: `pulumi stack ${name}`,
        check: `pulumi config -s ${name} (logged in to the backend that holds the ${name} stack; see the README, Bootstrap)`,
    };
    try {
        const stack = await ports.workspace.selectStack(name);
        const posture = await stack.getConfig("webank:posture");
        const activated = await stack.getConfig("webank:activated");
        const status: DrStackStatus = {
            name,
            reachable: true,
            posture: posture ?? "pilot",
            activated: activated === "true",
        };
        return {
            stack: status,
            row: readinessRow(frame, {
                verdict: "ok",
                note: `posture ${status.posture}${posture === undefined ? " (default)" : ""}, ${status.activated ? "ACTIVATED (a failover has run)" : "not activated"}`,
            }),
        };
    } catch (error) {
        return {
            stack: { name, reachable: false, posture: null, activated: null },
            row: readinessRow(frame, {
                verdict: "UNREACHABLE",
                note: `the ${name} stack could not be read: ${messageOf(error)}`,
            }),
        };
    }
}

/**
 * DNS failover: a hosted zone configured, and the PRIMARY record guarded by its gate over the
 * home endpoint's check and a free traffic switch. Without them the failover restores
 * everything but cannot move the users: the row is NOT MANAGED. A held switch means traffic is
 * already kept on the SECONDARY (a failover ran and no failback released it).
 */
export function dnsFailoverRow(ports: RecoveryPorts, config: StackConfig): Promise<AssetStatus> {
    const traffic = config.platform.traffic;
    const title = "DNS failover";
    if (!traffic) {
        return looked(
            {
                id: DNS_FAILOVER_ID,
                title,
                where: "Route 53: no hosted zone configured",
                check:
                    "pulumi config get webank:dnsZoneId -s dr; to manage DNS failover set it, webank:dnsRecordName, " +
                    "webank:primaryEndpoint and webank:drEndpoint (Pulumi.yaml describes each)",
            },
            () => ({
                verdict: "NOT MANAGED",
                note: "no webank:dnsZoneId: there is no Route 53 failover record, so a failover cannot switch traffic; clients would have to be pointed at the DR endpoint by hand",
            }),
        );
    }
    const { zoneId, recordName } = traffic;
    const frame: RowFrame = {
        id: DNS_FAILOVER_ID,
        title,
        where: `Route 53 zone ${zoneId}, PRIMARY record ${recordName}`,
        check:
            `aws route53 list-resource-record-sets --hosted-zone-id ${zoneId} --query "ResourceRecordSets[?Name=='${recordName}.']" (its HealthCheckId); ` +
            "aws route53 get-health-check --health-check-id <HealthCheckId> (the gate: its ChildHealthChecks are the endpoint's check and the switch, whose Inverted is true while traffic is held on DR)",
    };
    return looked(frame, async () => {
        const state = await ports.traffic.trafficSwitch(zoneId, recordName);
        if (!state) {
            return {
                verdict: "NOT MANAGED",
                note: `no PRIMARY failover record with the gate and traffic switch for ${recordName}: Route 53 has nothing to fail over on, and a failover nothing to switch (is the primary stack's traffic component deployed?)`,
            };
        }
        if (state.heldOnDr) {
            return {
                verdict: "NOT MANAGED",
                note: `the traffic switch ${state.switchId} holds traffic on DR: Route 53 answers with the SECONDARY whatever the home endpoint does (a failover switched traffic; failback releases it)`,
            };
        }
        return {
            verdict: "ok",
            note: `${recordName} fails over on the home endpoint check ${state.endpoint.id}, which Route 53 sees ${state.endpoint.healthy ? "healthy" : "UNHEALTHY (it answers with the SECONDARY now)"}; traffic switch ${state.switchId} free`,
        };
    });
}

/**
 * The failover lock: held means a failover runs, or ran and keeps it until failback; either
 * way a new failover would be refused, so the DR side is not ready for one.
 */
export function failoverLockRow(context: StatusContext): Promise<AssetStatus> {
    const { ports, config } = context;
    const frame: RowFrame = {
        id: "failover-lock",
        title: "failover lock",
        where: `${config.drRegion} lock table ${lockTableName(config.prefix)}`,
        check: drCommand("lock status", context.simulated),
    };
    return looked(frame, async () => {
        const holder = await ports.lock.holder();
        return holder
            ? {
                  verdict: "HELD",
                  note: `held by run ${holder.owner} since ${holder.since}, taken by ${holder.by}: a failover runs, or ran and holds it until failback; another failover would be refused`,
              }
            : { verdict: "ok", note: "free: a failover may take it" };
    });
}

/**
 * The failover journal of this work directory (the rehearsal's under `--simulate`): one left
 * running, failed or interrupted is a failover half done, to be resumed with the command its
 * journal stores rather than started afresh.
 */
export function failoverJournalRow(context: StatusContext): Promise<AssetStatus> {
    const file = runLocations(context.workDir, "failover", context.simulated).journalFile;
    const frame: RowFrame = {
        id: "failover-journal",
        title: "failover journal",
        where: file,
        check: `cat ${file}`,
    };
    return looked(frame, () => {
        // readJournal refuses (throws) a journal it cannot trust: the row is then UNREACHABLE with why.
        const journal = readJournal(file, "failover", context.simulated);
        if (!journal) {
            return { verdict: "ok", note: "none: no failover is unfinished here" };
        }
        if (journal.status === "finished") {
            return {
                verdict: "ok",
                note: `run ${journal.runId} finished at ${journal.heartbeatAt} (its journal was not archived)`,
            };
        }
        const state =
            journal.status !== "running"
                ? `${journal.status.toUpperCase()} (last sign of life ${journal.heartbeatAt})`
                : isRunning(journal, context.ports.now())
                  ? `RUNNING now (last sign of life ${journal.heartbeatAt})`
                  : `silent since ${journal.heartbeatAt} (its process is gone)`;
        const incident = journal.incidents[journal.incidents.length - 1];
        return {
            verdict: "UNFINISHED",
            note:
                `run ${journal.runId} is ${state}, ${journal.steps.length} steps done` +
                `${incident ? `, ${incident.outcome} at ${incident.step}` : ""}; resume it with: ${journal.command}`,
        };
    });
}

/**
 * The failover's projected RTO for the DR stack's posture (the config's when the stack cannot
 * be read) against the RTO objective. The benchmark's model is loaded only here, so `--help`
 * never loads it.
 */
export function projectedRtoRow(config: StackConfig, drStack: DrStackStatus): Promise<AssetStatus> {
    const posture = drStack.posture ?? config.dr.posture;
    const objective = config.objectives.cluster.rtoMinutes;
    const frame: RowFrame = {
        id: "projected-rto",
        title: "projected RTO",
        where: `a simulated failover of posture ${posture}${drStack.posture === null ? " (Pulumi.dr.yaml's: the dr stack could not be read)" : ""}`,
        check: "npm run bench:failover",
    };
    return looked(frame, async () => {
        const { projectRtoMinutes } = await import("../../bench/failover-bench");
        const projected = await projectRtoMinutes(config, posture);
        const within = projected.minutes <= objective;
        return {
            verdict: within ? "ok" : "MISSED",
            note: `${projected.text}: ${within ? "within" : "OVER"} the RTO objective of ${objective} min (the cluster's, webank:rtoMinutes or webank:objectives)`,
        };
    });
}

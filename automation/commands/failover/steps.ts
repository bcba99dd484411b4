import type { StackConfig } from "../../../config/stack-config";
import { ProblemCollector } from "../../../lib/errors";
import { restoredDatabaseIdentifier } from "../../../lib/naming";
import { parseRestoreSpec } from "../../../lib/restore-spec";
import type { RecoveryPorts } from "../../ports";
import type { Step } from "../../run/steps";
import {
    chooseRestoreSource,
    drVaultRpoMinutes,
    journaledChoice,
    restoreConfigOf,
} from "../shared/restore-source";
import {
    lockStep,
    preflightStackStep,
    preflightTrafficStep,
    refreshStep,
    resumeExportsStep,
    switchTrafficStep,
    upStep,
    waitPlatformStep,
} from "./common-steps";
import { checkRestoredDatabase, waitDatabaseStep } from "../shared/restored-database";
import {
    journaledSourceVersion,
    SOURCE_DATA_STEP,
    sourceDataStep,
    verifyRestoredData,
} from "../shared/restored-data";

/** What the operator asked for. */
export interface FailoverRequest {
    /** `latest`, or an ISO-8601 instant with a zone. */
    readonly restoreTime: string;
    /** The run id (the journal's). */
    readonly runId: string;
    /** When the primary failed, for the projected and achieved RPO. */
    readonly failureTime: Date;
    /** Resource operations `pulumi up` runs at once. Default: Pulumi's own. */
    readonly parallel?: number;
    /** Milliseconds between checks of the DNS answer after the switch. Default 10 s. */
    readonly dnsPollMilliseconds?: number;
}

export {
    DNS_CHECKS,
    DNS_POLL_MILLISECONDS,
    kubernetesAccessRefusal,
    PLATFORM_WAIT_MINUTES,
    SERVICE_RESTORED_STEP,
} from "./common-steps";

/**
 * The failover, as steps. Three independent preflight checks run together (the DR stack, the
 * restore source, the DNS failover pair); then the lock, the DR stack's activation config,
 * refresh and `up` (in which Pulumi restores the database and builds the cluster in parallel:
 * neither depends on the other); then the database and the platform are waited for together,
 * verified, and traffic is switched. Each step is idempotent and nothing is deleted.
 */
export function failoverSteps(config: StackConfig, request: FailoverRequest, ports: RecoveryPorts): Step[] {
    const identifier = restoredDatabaseIdentifier(config.prefix, 1);
    const drStack = () => ports.workspace.selectStack("dr");
    return [
        preflightStackStep(ports),
        {
            name: "preflight-restore-point",
            after: [],
            readOnly: true,
            describe: "find the restore source in the DR region and project the RPO",
            run: async () => {
                const { choice, description } = await chooseRestoreSource(
                    config,
                    request.restoreTime,
                    ports,
                    request.failureTime,
                );
                const problems = new ProblemCollector();
                parseRestoreSpec(problems, "webank:restore", restoreConfigOf(choice), {
                    drRegion: config.drRegion,
                    now: ports.now(),
                    replicatedBackupRetentionDays: config.database.replicatedBackupRetentionDays,
                });
                problems.throwIfAny("the restore the failover would set");
                const rpo = Math.max(
                    0,
                    Math.round((request.failureTime.getTime() - new Date(choice.point).getTime()) / 60_000),
                );
                const objective = config.objectives.database.rpoMinutes;
                const warning = rpo > objective ? ` (MORE than the objective of ${objective} min)` : "";
                // A DR-vault point is bounded by the copy period, not by the objective: say which.
                const bound =
                    choice.source === "recovery-point"
                        ? `; the DR-vault fallback gives up to ${drVaultRpoMinutes(config)} min`
                        : "";
                return {
                    detail: `${description}; projected RPO ${rpo} min (objective ${objective}${bound})${warning}`,
                    data: { choice: JSON.stringify(choice) },
                };
            },
        },
        preflightTrafficStep(config, ports),
        sourceDataStep(config, ports.home),
        lockStep(config, ports, request.runId, [
            "preflight-stack",
            "preflight-restore-point",
            "preflight-traffic",
            SOURCE_DATA_STEP,
        ]),
        {
            name: "activate-config",
            after: ["lock"],
            describe: "set webank:activated and webank:restore on the DR stack",
            run: async (context) => {
                const choice = journaledChoice(context.dataOf("preflight-restore-point"));
                const restore = JSON.stringify(restoreConfigOf(choice));
                await (await drStack()).setConfig({ "webank:activated": "true", "webank:restore": restore });
                return `webank:restore = ${restore}`;
            },
        },
        refreshStep(ports, ["activate-config"]),
        upStep(
            ports,
            request,
            "pulumi up of the DR stack: restore the database and build the platform, in parallel",
        ),
        waitDatabaseStep(ports.dr.database, identifier),
        waitPlatformStep(config, ports),
        {
            name: "verify",
            after: ["wait-database", "wait-platform"],
            describe:
                "check the restored database answers at the endpoint the stack reports, then open it and check its data: the newest heartbeat against the restore point, the critical tables, the migration version",
            run: async (context) => {
                const endpoint = context.dataOf("up")?.dbEndpoint;
                const answers = await checkRestoredDatabase(ports.dr.database, identifier, endpoint, "dr");
                const choice = journaledChoice(context.dataOf("preflight-restore-point"));
                const data = await verifyRestoredData({
                    data: ports.dr.data,
                    config,
                    identifier,
                    endpoint: endpoint ?? "",
                    point: new Date(choice.point),
                    sourceMigrationVersion: journaledSourceVersion(context.dataOf(SOURCE_DATA_STEP)),
                    latest: request.restoreTime === "latest",
                    heldBack: "Traffic was NOT switched and the Argo CD exports stay suspended",
                });
                return { detail: `${answers}; ${data.detail}`, data: data.data };
            },
        },
        resumeExportsStep(config, ports),
        switchTrafficStep(config, ports, request),
    ];
}

import { RecoveryPorts, RegionPorts } from "../ports";
import { backupJobComplete, backupPort, copyJobComplete, planPointListed, settleBackupPlans } from "./backup";
import { clusterRestorePort } from "./backup-eks";
import { rootAppSynced } from "./argocd-apps";
import { kubeJobComplete, settleCronJobs } from "./cluster";
import { dataPort } from "./data";
import { databasePort, instanceAvailable, settleReplicatedBackups } from "./database";
import { identityPort } from "./identity";
import { buildComplete, jobsPort, settleMirrorSchedules } from "./jobs";
import { lockPort } from "./lock";
import { notificationPort } from "./notifications";
import { objectStorePort } from "./objects";
import { deployRunnerPort } from "./deploy-runner";
import { replicaPort } from "./replica";
import { ScheduledEvent, Side } from "./state";
import { commandPort } from "./tools";
import { trafficPort } from "./traffic";
import { workspacePort } from "./workspace";
import { WorldCore } from "./world-core";

export { recoveryPointArn } from "./formats";
export { ObjectVersion, SimulatedRegion } from "./region";
export type {
    CommandHandler,
    DurationModel,
    Poll,
    ProgramRun,
    SimulatedStack,
    SimulatedWorldOptions,
    StackProgram,
    WorldStore,
} from "./world-core";

/**
 * An AWS account, a Pulumi workspace, clusters and a tool chain behind the same ports as the
 * real adapters, one file per port. Every change is recorded in {@link SimulatedWorld.changes}
 * (tests assert what changed, and that nothing was deleted); faults are queued per operation
 * with {@link SimulatedWorld.failNext}; time passes through an injected sleep, so the
 * benchmark and rehearsals run on a virtual clock. Each port call lets its duration pass,
 * then runs one synchronous transaction (loaded and saved by a WorldStore when there
 * is one); scheduled work (jobs, builds, backup plans) happens when its time comes.
 *
 * The data and primitives are {@link WorldCore}'s, which the port files take; this class
 * adds what needs the port files themselves: the services' own schedules and events, and
 * the ports.
 */
export class SimulatedWorld extends WorldCore {
    /** The ports, as {@link RecoveryPorts}. */
    public ports(): RecoveryPorts {
        const region = (side: Side): RegionPorts => ({
            region: this.region(side).name,
            database: databasePort(this, side),
            backup: backupPort(this, side),
            clusterRestore: clusterRestorePort(this, side),
            objects: objectStorePort(this, side),
            runner: deployRunnerPort(this, side),
            data: dataPort(this, side),
            replica: replicaPort(this, side),
        });
        return {
            home: region("home"),
            dr: region("dr"),
            workspace: workspacePort(this),
            traffic: trafficPort(this),
            jobs: jobsPort(this),
            commands: commandPort(this),
            identity: identityPort(this),
            lock: lockPort(this),
            notifications: notificationPort(this),
            output: (line) => this.lines.push(line),
            now: () => this.now(),
            timers: this.timers,
        };
    }

    /** The schedules of backup plans, CronJobs and the mirror, and the replication of automated backups. */
    protected settleSchedules(upTo: Date): void {
        settleBackupPlans(this, upTo);
        settleCronJobs(this, upTo);
        settleMirrorSchedules(this, upTo);
        settleReplicatedBackups(this, upTo);
    }

    /** Dispatches a due event to the port file whose service it belongs to. */
    protected happen(event: ScheduledEvent, at: Date): void {
        switch (event.type) {
            case "rds-available":
                return instanceAvailable(this, event.side, event.identifier);
            case "rds-snapshot-available":
                // A snapshot is available once its event has happened (see database.ts).
                return;
            case "backup-job-complete":
                return backupJobComplete(this, event.jobId);
            case "copy-job-complete":
                return copyJobComplete(this, event.jobId);
            case "build-complete":
                return buildComplete(this, event.buildId, at);
            case "kube-job-complete":
                return kubeJobComplete(this, event.cluster, event.job, at);
            case "argocd-synced":
                return rootAppSynced(this, event.cluster);
            case "plan-point-listed":
                return planPointListed(this, event.side, event.vaultName, event.point);
        }
    }
}

import { applyStateEdit, StateBackup } from "./state-apply";
import type { StackConfig } from "../../../config/stack-config";
import { configKey } from "../../../config/keys";
import { heartbeatSourceOf, HEARTBEAT_PERIOD_MINUTES } from "../../../lib/heartbeat";
import { WRITER_DEADLINE_SECONDS } from "../../../lib/heartbeat-writer";
import { primaryDatabaseIdentifier } from "../../../lib/naming";
import { failbackComponentUrn, failbackInstanceUrn, primaryDatabaseUrns } from "../../../lib/stack-urns";
import type { RecoveryPorts, StackPort } from "../../ports";
import type { Step } from "../../run/steps";
import { homeHeartbeatSource } from "../shared/restored-data";
import { CAUGHT_UP_STEP } from "./freeze";
import type { FailbackTarget } from "./preflight";
import { PROMOTE_HOME_STEP } from "./promote";
import { adoptInstance } from "./state-edit";

/*
 * The home side of a failback, after the promotion: the stale home database (what the home
 * region held when it failed) is renamed away and kept, the promoted replica takes its name
 * (the endpoint follows the identifier, so the home platform reconnects to it unchanged: RDS
 * user guide, "Renaming a DB instance"), the primary stack's state is made to agree (its
 * database entry takes the promoted instance; the replica's entries and the old backup
 * replication are forgotten, their cloud resources kept), `webank:failback` is removed, the
 * stack comes up, and the data is checked: every DR write is there and the home platform
 * writes again.
 */

/** How long a rename may take to be available under the new name, in minutes. */
export const RENAME_WAIT_MINUTES = 30;

/** The step after which the primary stack serves from the promoted database. */
export const VERIFY_HOME_STEP = "verify-home";

/** What the home steps need besides the target. */
export interface HomeRun {
    /** The stale home database's name once retired (lib/naming.ts retiredDatabaseIdentifier). */
    readonly retired: string;
    /** Where the primary stack's state is saved before the edit: bucket and key. */
    readonly stateBackup: StateBackup;
    /** The primary stack. */
    readonly primary: StackPort;
    /** The steps that bring the primary stack up after `after`; the last is named `upStep` and journals `dbEndpoint`. */
    readonly upSteps: (after: string) => Step[];
    /** The name of the last of {@link HomeRun.upSteps}. */
    readonly upStep: string;
}

/** The home steps, in order. */
export function homeSteps(
    config: StackConfig,
    ports: RecoveryPorts,
    target: FailbackTarget,
    run: HomeRun,
): Step[] {
    const database = ports.home.database;
    const region = database.region;
    const home = primaryDatabaseIdentifier(config.prefix);
    const { replica } = target;
    const look = `aws rds describe-db-instances --region ${region}`;
    const urns = primaryDatabaseUrns(config.project, config.prefix);
    return [
        {
            name: "retire-stale-home",
            after: [PROMOTE_HOME_STEP],
            describe: `rename the stale home database ${home} to ${run.retired} (kept, with its data and deletion protection)`,
            timeoutMinutes: RENAME_WAIT_MINUTES,
            run: async () => {
                if (await database.describeInstance(run.retired)) {
                    return `${home} was already renamed to ${run.retired}`;
                }
                const stale = await database.describeInstance(home);
                if (!stale) {
                    return `there is no ${home} in ${region} (lost with the region): nothing to retire`;
                }
                if (!(await database.describeInstance(replica))) {
                    return `${replica} already took the name ${home} (an earlier attempt): nothing to retire`;
                }
                await database.renameInstance(home, run.retired);
                await database.waitAvailable(run.retired, RENAME_WAIT_MINUTES);
                return `${home} renamed to ${run.retired}: kept, deletion protection ${stale.deletionProtection ? "on" : "OFF"}`;
            },
        },
        {
            name: "rename-promoted",
            after: ["retire-stale-home"],
            describe: `rename the promoted ${replica} to ${home}: the home platform's endpoint reaches the DR region's data`,
            timeoutMinutes: RENAME_WAIT_MINUTES,
            run: async () => {
                const promoted = await database.describeInstance(replica);
                const holder = await database.describeInstance(home);
                if (!promoted && holder) {
                    return `${replica} was already renamed to ${home}`;
                }
                if (!promoted) {
                    throw new Error(
                        `${replica} is missing in ${region}; nothing was renamed. Look with: ${look}`,
                    );
                }
                if (holder) {
                    throw new Error(
                        `${home} exists in ${region} although it was renamed to ${run.retired}: find out what created it before going on; ` +
                            `nothing was renamed. Look with: ${look} --db-instance-identifier ${home}`,
                    );
                }
                await database.renameInstance(replica, home);
                await database.waitAvailable(home, RENAME_WAIT_MINUTES);
                return `${replica} renamed to ${home}`;
            },
        },
        {
            name: "agree-state",
            after: ["rename-promoted"],
            describe: `make the primary stack's state agree: its database entry takes the promoted instance, the replica's entries and the old backup replication leave the state (kept in AWS), ${configKey("failback")} removed`,
            run: async () => {
                const before = await run.primary.exportState();
                const edit = adoptInstance(before, {
                    keeper: urns.instance,
                    donor: failbackInstanceUrn(
                        config.project,
                        "primary",
                        config.prefix,
                        target.setting.generation,
                    ),
                    donorComponent: failbackComponentUrn(
                        config.project,
                        "primary",
                        config.prefix,
                        target.setting.generation,
                    ),
                    // It replicates the retired instance's backups (by its resource id); the up makes a new one.
                    alsoForget: [urns.backupReplication],
                });
                const saved = await applyStateEdit(
                    run.primary,
                    ports.home.objects,
                    run.stateBackup,
                    before,
                    edit,
                );
                await run.primary.removeConfig([configKey("failback")]);
                await run.primary.refresh(ports.output);
                return edit.forgotten.length > 0
                    ? `state edited (the state before it is in ${saved}): ${urns.instance} is ${home} now (${edit.adoptedId}); forgotten, kept in AWS: ${edit.forgotten.join(", ")}`
                    : "the state already agreed (an earlier attempt edited it)";
            },
        },
        ...run.upSteps("agree-state"),
        {
            name: VERIFY_HOME_STEP,
            after: [run.upStep],
            describe: `check ${home} holds the DR platform's last write and the home platform writes into it again`,
            timeoutMinutes: 10,
            run: async (context) => {
                const endpoint = (await database.describeInstance(home))?.endpoint ?? "";
                const read = (source: string) =>
                    ports.home.data.read({
                        identifier: home,
                        endpoint,
                        database: config.database.name,
                        heartbeatSource: source,
                    });
                const last = context.dataOf(CAUGHT_UP_STEP)?.drNewestBeat;
                const dr = (await read(heartbeatSourceOf(target.drCluster))).newestBeat;
                if (!last || dr?.toISOString() !== last) {
                    throw new Error(
                        `${home} holds the DR heartbeat of ${dr?.toISOString() ?? "no time"}, not ${last ?? "the one the freeze left"}: ` +
                            `its data is not the DR region's. Traffic stays on DR. Look with: ${look} --db-instance-identifier ${home}`,
                    );
                }
                // The home writer beats every period; one started before the up ends within its deadline.
                await ports.timers.sleep((HEARTBEAT_PERIOD_MINUTES * 60 + WRITER_DEADLINE_SECONDS) * 1000);
                const resumed = (await read(homeHeartbeatSource(config))).newestBeat;
                if (!resumed || resumed.getTime() <= Date.parse(last)) {
                    throw new Error(
                        `the home platform has not written into ${home} since the freeze (its newest heartbeat: ${resumed?.toISOString() ?? "none"}): ` +
                            "traffic stays on DR. Check the heartbeat CronJob on the primary cluster, then run the same command again: it resumes here",
                    );
                }
                return {
                    detail: `${home} holds the DR platform's last write (${last}) and the home platform writes again (${resumed.toISOString()})`,
                    data: { homeResumedAt: resumed.toISOString() },
                };
            },
        },
    ];
}

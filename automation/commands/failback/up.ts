import { FAILBACK_NOT_SET } from "../../../lib/failback";
import { primaryDatabaseIdentifier, restoredDatabaseIdentifier } from "../../../lib/naming";
import type { RecoveryPorts, StackPort } from "../../ports";
import type { Step } from "../../run/steps";

/** The step that brings the primary stack up from where the failback runs. */
export const UP_HERE_STEP = "up-primary";

/**
 * `pulumi up` of the primary stack on the promoted database, checked by its outputs: the
 * database ARN names `home` (the promoted instance took that name), and no failback replica
 * is declared any more (`webank:failback` was removed).
 */
export function upHereStep(ports: RecoveryPorts, primary: StackPort, home: string, after: string): Step {
    return {
        name: UP_HERE_STEP,
        after: [after],
        describe: `pulumi up of the primary stack: the home platform on ${home}, the promoted database`,
        run: async () => {
            const outputs = await primary.up({ onOutput: ports.output });
            const arn = typeof outputs.dbInstanceArn === "string" ? outputs.dbInstanceArn : "";
            if (!arn.endsWith(`:db:${home}`) || outputs.failbackReplicaIdentifier !== FAILBACK_NOT_SET) {
                throw new Error(
                    `the primary stack's up reports database ${arn || "none"} and failback replica ${JSON.stringify(outputs.failbackReplicaIdentifier ?? "none")}, ` +
                        `not ${home} without one: check with pulumi stack output -s primary, then run the same command again`,
                );
            }
            return { detail: `primary stack updated; its database is ${home}`, data: { dbInstanceArn: arn } };
        },
    };
}

/**
 * The generation of a restored DR database from its identifier (lib/naming.ts
 * restoredDatabaseIdentifier); 1 for any other (the hot posture's replica has none).
 */
export function restoredGenerationOf(prefix: string, identifier: string): number {
    const head = restoredDatabaseIdentifier(prefix, 0).replace(/0$/, "");
    const tail = identifier.startsWith(head) ? Number(identifier.slice(head.length)) : NaN;
    return Number.isSafeInteger(tail) && tail >= 1 && identifier !== primaryDatabaseIdentifier(prefix)
        ? tail
        : 1;
}

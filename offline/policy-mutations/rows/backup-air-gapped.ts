import { AIR_GAPPED_VAULT } from "../../../policies/backup-graph";
import { MutableStack } from "../mutable-stack";
import { MutationRow } from "../row";
import { LONG_TERM, SERVICE, plan } from "./backup-common";

/** The air-gapped vault of the primary stack (components/backup.ts). */
const airGapped = (s: MutableStack) => s.one(AIR_GAPPED_VAULT, "webank-backup-air-gapped");

/** The long-term rule's copy into the air-gapped vault: the second of its copies (lib/backup-copies.ts). */
const AIR_GAPPED_COPY = `${LONG_TERM}.copyActions[1]`;

/** The air-gapped copies: every daily rule copies there, into bounds that admit them and refuse short ones. */
export const BACKUP_AIR_GAPPED_ROWS: readonly MutationRow[] = [
    {
        service: SERVICE,
        protection: "every daily rule copies into the logically air-gapped vault",
        mutation: "the database's long-term copy sent to the DR vault instead of the air-gapped one",
        apply: (s) =>
            s.set(
                plan(s, "webank-backup-database"),
                `${AIR_GAPPED_COPY}.destinationVaultArn`,
                "arn:aws:backup:us-west-2:123456789012:backup-vault:webank-vault",
            ),
        policy: "backup-plan-rule-air-gapped-copy",
    },
    {
        service: SERVICE,
        protection: "every daily rule copies into the logically air-gapped vault",
        mutation:
            "the volumes' long-term copy sent to a vault of the air-gapped vault's name in another account",
        apply: (s) =>
            s.set(
                plan(s, "webank-backup-volumes"),
                `${AIR_GAPPED_COPY}.destinationVaultArn`,
                "arn:aws:backup:us-west-2:111122223333:backup-vault:webank-air-gapped",
            ),
        policy: "backup-plan-rule-air-gapped-copy",
    },
    {
        service: SERVICE,
        protection: "every daily rule copies into the logically air-gapped vault",
        mutation: "the air-gapped vault not declared (the copies name a vault nobody made)",
        apply: (s) => s.drop(airGapped(s)),
        policy: "backup-plan-rule-air-gapped-copy",
    },
    {
        service: SERVICE,
        protection: "the air-gapped vault refuses retention under the Vault Lock minimum",
        mutation: "the air-gapped vault's minRetentionDays 1",
        apply: (s) => s.set(airGapped(s), "minRetentionDays", 1),
        policy: "backup-air-gapped-vault-bounds",
    },
    {
        service: SERVICE,
        protection: "the air-gapped vault admits the copies sent to it",
        mutation: "the air-gapped vault's maxRetentionDays 30, under the long-term copies' 365",
        apply: (s) => s.set(airGapped(s), "maxRetentionDays", 30),
        policy: "backup-air-gapped-vault-bounds",
    },
    {
        service: SERVICE,
        protection: "the air-gapped vault is protected and retained",
        mutation: "the air-gapped vault's protect removed",
        apply: (s) => {
            airGapped(s).protect = false;
        },
        policy: "stateful-resources-protected",
    },
];

import { RESTORE_TESTING_PLAN, RESTORE_TESTING_SELECTION } from "../../../policies/backup-assurance";
import { BACKUP_FRAMEWORK } from "../../../policies/backup-audit";
import { BACKUP_VAULT, BACKUP_VAULT_POLICY } from "../../../policies/backup-graph";
import { BACKUP_PLAN, BACKUP_SELECTION } from "../../../policies/backup-selection";
import { MutableResource, MutableStack } from "../mutable-stack";

/**
 * What the AWS Backup rows share: the service name, how they find the recorded resources of
 * each configuration (the primary stack names plans and selections `webank-backup-<target>`,
 * the dr stack `webank-<id>-dr-backup`; the vaults `webank-backup-home` and `-dr`), and the
 * changes several rows make.
 */
/** The service, as the README's table names it. */
export const SERVICE = "AWS Backup";

/** The primary stack's plans and selections are named `webank-backup-<target>`; the dr stack's `webank-<id>-dr-backup`. */
export const plan = (s: MutableStack, target: string) => s.one(BACKUP_PLAN, target);
/** The selection of a target. */
export const selection = (s: MutableStack, target: string) => s.one(BACKUP_SELECTION, target);
/** The home vault. */
export const homeVault = (s: MutableStack) => s.one(BACKUP_VAULT, "webank-backup-home");
/** The DR vault, declared by the primary stack in the DR region. */
export const drVault = (s: MutableStack) => s.one(BACKUP_VAULT, "webank-backup-dr");
/** The sibling of `type` (lock, policy, notifications) of a vault. */
export const sibling = (s: MutableStack, type: string, vault = "webank-backup-home") => s.one(type, vault);
/** The restore testing plan. */
export const restoreTestingPlan = (s: MutableStack) => s.one(RESTORE_TESTING_PLAN);
/** The restore testing selection of the database (`rds`) or the volumes (`ebs`). */
export const restoreTestingSelection = (s: MutableStack, kind: "rds" | "ebs") =>
    s.one(RESTORE_TESTING_SELECTION, `-${kind}`);
/** The audit framework. */
export const framework = (s: MutableStack) => s.one(BACKUP_FRAMEWORK);

/** The primary database plan's continuous rule (rules[0]) and long-term rule (rules[1]). */
export const FREQUENT = "rules[0]";
/** The long-term rule of every plan. */
export const LONG_TERM = "rules[1]";

/** The home vault's ARN as the fake cloud writes it (the DR vault's with the home region). */
export const homeVaultArn = (s: MutableStack) =>
    String(
        (
            plan(s, "webank-backup-database").inputs.rules as {
                copyActions: { destinationVaultArn: string }[];
            }[]
        )[0].copyActions[0].destinationVaultArn,
    ).replace(`:${drVault(s).region}:`, `:${homeVault(s).region}:`);

/** Removes rule `index` of `resource`. */
export const dropRule = (s: MutableStack, resource: MutableResource, index: number) =>
    s.update(resource, "rules", (rules) => (rules as unknown[]).filter((_, i) => i !== index));

/** Changes the vault access policy's one statement. */
export const statement =
    (change: (statement: Record<string, unknown>) => void, vault = "webank-backup-home") =>
    (s: MutableStack) =>
        s.update(sibling(s, BACKUP_VAULT_POLICY, vault), "policy", (document) => {
            const parsed = JSON.parse(String(document)) as { Statement: Record<string, unknown>[] };
            change(parsed.Statement[0]);
            return JSON.stringify(parsed);
        });

/** Changes the framework control `name`. */
export const control =
    (name: string, change: (control: Record<string, unknown>) => void) => (s: MutableStack) =>
        s.update(framework(s), "controls", (controls) =>
            (controls as Record<string, unknown>[]).map((c) => {
                if (c.name === name) {
                    change(c);
                }
                return c;
            }),
        );
/** Sets the parameter of the framework control `name`. */
export const setParameter = (name: string, parameter: string, value: string) =>
    control(name, (c) => {
        c.inputParameters = (c.inputParameters as { name: string; value: string }[]).map((p) =>
            p.name === parameter ? { ...p, value } : p,
        );
    });
/** Removes the framework control `name`. */
export const dropControl = (name: string) => (s: MutableStack) =>
    s.update(framework(s), "controls", (controls) =>
        (controls as { name: string }[]).filter((c) => c.name !== name),
    );

/** Moves `resource` to the other region's provider. */
export function moveTo(resource: MutableResource, like: MutableResource): void {
    resource.provider = like.provider;
    resource.region = like.region;
}

import type { StackConfig } from "../../config/stack-config";
import {
    failbackDatabaseIdentifier,
    primaryDatabaseIdentifier,
    replicaDatabaseIdentifier,
    restoredDatabaseIdentifier,
} from "../../lib/naming";
import {
    DATABASE_TYPE,
    drDatabaseUrns,
    failbackComponentUrn,
    failbackInstanceUrn,
    primaryDatabaseUrns,
    REPLICA_DATABASE_TYPE,
} from "../../lib/stack-urns";
import { hexOf } from "./formats";
import type { Side } from "./state";
import type { SimulatedStack, WorldCore } from "./world-core";

/*
 * The part of a simulated stack's state the failback edits: its databases, as `pulumi stack
 * export` shows them (version 3; ResourceV3 entries, pulumi/pulumi sdk/go/common/apitype/core.go).
 * An RDS instance's id is its DbiResourceId, which a rename keeps: "Since AWS provider 5.0 an
 * instance's id is its DBI resource id" (terraform-provider-aws CHANGELOG 5.0.0, #31232), in
 * RDS's form `db-` and 26 uppercase letters and digits. Before an up, the simulated engine
 * refuses what the real one would: a state entry whose instance now has another name (the
 * provider would rename it back, over the instance holding that name), and a protected entry
 * the program no longer declares (Pulumi refuses to delete a protected resource).
 */

/** One database entry of a simulated state: a component and the instance below it. */
interface DatabaseEntry {
    readonly component: { readonly urn: string; readonly type: string };
    readonly instance: { readonly urn: string; readonly identifier: string };
}

/** The DbiResourceId of an instance, given it on first sight and kept through renames. */
export function resourceIdOf(world: WorldCore, side: Side, identifier: string): string | undefined {
    const region = world.region(side);
    const instance = region.instances.get(identifier) as ({ resourceId?: string } & object) | undefined;
    if (!instance) {
        return undefined;
    }
    if (!instance.resourceId) {
        const id = `db-${hexOf(`${side}/${identifier}/${world.nextSeed("dbi")}`, 26).toUpperCase()}`;
        region.instances.set(identifier, { ...region.instances.get(identifier)!, resourceId: id } as never);
        return id;
    }
    return instance.resourceId;
}

type StateResource = {
    urn: string;
    id?: string;
    type: string;
    parent?: string;
    protect?: boolean;
    custom: boolean;
};

function resourcesOf(stack: SimulatedStack): StateResource[] {
    const parsed = JSON.parse(stack.deployment || "{}") as { deployment?: { resources?: StateResource[] } };
    return parsed.deployment?.resources ?? [];
}

/**
 * Checks the stack's state against what the up declares (`entries`), as the engine and the
 * provider would, then writes the state the up leaves: the declared entries, with the id of the
 * instance each names. Throws the real tools' errors.
 */
export function applyDatabaseState(
    world: WorldCore,
    stack: SimulatedStack,
    project: string,
    stackName: string,
    side: Side,
    entries: readonly DatabaseEntry[],
): void {
    const state = resourcesOf(stack);
    const declared = new Set(entries.flatMap((e) => [e.component.urn, e.instance.urn]));
    for (const resource of state) {
        if (resource.protect && !declared.has(resource.urn)) {
            throw new Error(
                `error: unable to delete resource "${resource.urn}" as it is currently marked for protection. To unprotect the resource, ` +
                    "remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`",
            );
        }
    }
    for (const entry of entries) {
        const known = state.find((r) => r.urn === entry.instance.urn);
        const holder = resourceIdOf(world, side, entry.instance.identifier);
        // Only an id another instance still holds is a conflict: one deleted out of band is made again, as after a refresh.
        const renamed = [...world.region(side).instances.entries()].some(
            ([name, instance]) =>
                name !== entry.instance.identifier &&
                (instance as { resourceId?: string }).resourceId === known?.id,
        );
        if (known?.id && holder && known.id !== holder && renamed) {
            throw new Error(
                `error: 1 error occurred: * updating RDS DB Instance (${known.id}): DBInstanceAlreadyExists: DB instance already exists ` +
                    `(the state's ${entry.instance.urn} is instance ${known.id}, but ${entry.instance.identifier} is ${holder})`,
            );
        }
    }
    const stackUrn = `urn:pulumi:${stackName}::${project}::pulumi:pulumi:Stack::${project}-${stackName}`;
    const resources: StateResource[] = [
        { urn: stackUrn, type: "pulumi:pulumi:Stack", custom: false },
        ...entries.flatMap((e): StateResource[] => {
            const id = resourceIdOf(world, side, e.instance.identifier);
            return [
                { urn: e.component.urn, type: e.component.type, parent: stackUrn, custom: false },
                {
                    urn: e.instance.urn,
                    type: "aws:rds/instance:Instance",
                    parent: e.component.urn,
                    custom: true,
                    protect: true,
                    ...(id ? { id } : {}),
                },
            ];
        }),
    ];
    stack.deployment = JSON.stringify({ version: 3, deployment: { manifest: {}, resources } });
}

/** The primary stack's database entries: its own, and the failback replica while `webank:failback` is set. */
export function primaryDatabaseEntries(config: StackConfig, stack: SimulatedStack): DatabaseEntry[] {
    const urns = primaryDatabaseUrns(config.project, config.prefix);
    const own: DatabaseEntry = {
        component: { urn: urns.component, type: DATABASE_TYPE },
        instance: { urn: urns.instance, identifier: primaryDatabaseIdentifier(config.prefix) },
    };
    const raw = stack.config["webank:failback"];
    if (!raw) {
        return [own];
    }
    const { generation } = JSON.parse(raw) as { generation: number };
    return [
        own,
        {
            component: {
                urn: failbackComponentUrn(config.project, "primary", config.prefix, generation),
                type: REPLICA_DATABASE_TYPE,
            },
            instance: {
                urn: failbackInstanceUrn(config.project, "primary", config.prefix, generation),
                identifier: failbackDatabaseIdentifier(config.prefix, generation),
            },
        },
    ];
}

/**
 * The dr stack's database entry: the hot posture's replica (promoted or not), or the restore of
 * `webank:restore`'s generation once activated; none for an idle pilot light or warm standby.
 */
export function drDatabaseEntries(config: StackConfig, stack: SimulatedStack): DatabaseEntry[] {
    const hot = (stack.config["webank:posture"] ?? "pilot") === "hot";
    const activated = stack.config["webank:activated"] === "true";
    if (!hot && !activated) {
        return [];
    }
    const generation =
        (JSON.parse(stack.config["webank:restore"] ?? "{}") as { generation?: number }).generation ?? 1;
    const urns = drDatabaseUrns(config.project, config.prefix, hot, generation);
    return [
        {
            component: {
                urn: urns.component,
                type: hot ? REPLICA_DATABASE_TYPE : DATABASE_TYPE,
            },
            instance: {
                urn: urns.instance,
                identifier: hot
                    ? replicaDatabaseIdentifier(config.prefix)
                    : restoredDatabaseIdentifier(config.prefix, generation),
            },
        },
    ];
}

/*
 * The state edits a failback makes instead of an operator with `pulumi stack export` and a
 * text editor (what `restore db --cut-over` prints as manual steps). A resource in a
 * deployment is Pulumi's ResourceV3 (pulumi/pulumi sdk/go/common/apitype/core.go): `urn`,
 * `id`, `type`, `parent`, `dependencies`, `propertyDependencies`, `deletedWith`, `protect`, and
 * more this module leaves alone. Forgetting a resource removes it from the state only: the
 * cloud resource stays, as `pulumi state delete` leaves it ("This command deletes a resource
 * from a stack's state, as long as it is safe to do so. The resource is not deleted from
 * the cloud provider", Pulumi CLI reference, pulumi state delete). Every edit is pure: the
 * caller exports, edits and imports, and keeps the export it started from.
 */

/** The fields of a state resource the edits read or rewrite. */
interface StateResource {
    urn: string;
    id?: string;
    type: string;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    deletedWith?: string;
    [other: string]: unknown;
}

/** What an edit did, for the journal. */
export interface StateEdit {
    /** The deployment to import (`pulumi stack import`). */
    readonly deployment: string;
    /** URNs removed from the state (their cloud resources kept). */
    readonly forgotten: readonly string[];
}

/** The parts of `pulumi stack export`'s text (`{version, deployment: {resources, ...}}`); throws on anything else. */
function resourcesOf(text: string): {
    version: number;
    deployment: Record<string, unknown>;
    resources: StateResource[];
} {
    const parsed = JSON.parse(text) as { version?: unknown; deployment?: unknown };
    if (
        typeof parsed.version !== "number" ||
        typeof parsed.deployment !== "object" ||
        parsed.deployment === null
    ) {
        throw new Error(
            'the export is not a Pulumi deployment (a numeric "version" and a "deployment" object): nothing was imported',
        );
    }
    const deployment = parsed.deployment as Record<string, unknown>;
    return {
        version: parsed.version,
        deployment,
        resources: (deployment.resources ?? []) as StateResource[],
    };
}

/** `urns` and every resource whose parent chain reaches one of them. */
function withDescendants(resources: readonly StateResource[], urns: readonly string[]): Set<string> {
    const gone = new Set(urns);
    let grew = true;
    while (grew) {
        grew = false;
        for (const r of resources) {
            if (!gone.has(r.urn) && r.parent !== undefined && gone.has(r.parent)) {
                gone.add(r.urn);
                grew = true;
            }
        }
    }
    return gone;
}

/** The resources without `gone`, and without any reference to them (an import refuses a dangling one). */
function without(resources: readonly StateResource[], gone: ReadonlySet<string>): StateResource[] {
    return resources
        .filter((r) => !gone.has(r.urn))
        .map((r) => {
            const kept: StateResource = { ...r };
            if (r.dependencies) {
                kept.dependencies = r.dependencies.filter((d) => !gone.has(d));
            }
            if (r.propertyDependencies) {
                kept.propertyDependencies = Object.fromEntries(
                    Object.entries(r.propertyDependencies).map(([k, v]) => [
                        k,
                        v.filter((d) => !gone.has(d)),
                    ]),
                );
            }
            if (r.deletedWith !== undefined && gone.has(r.deletedWith)) {
                delete kept.deletedWith;
            }
            return kept;
        });
}

function serialize(version: number, deployment: Record<string, unknown>, resources: StateResource[]): string {
    return JSON.stringify({ version, deployment: { ...deployment, resources } }, null, 4);
}

/**
 * Forgets the resources at `urns` and their descendants (a component's children). A URN the
 * state does not hold is left out of `forgotten`, so a rerun after the import is a no-op.
 */
export function forgetResources(text: string, urns: readonly string[]): StateEdit {
    const { version, deployment, resources } = resourcesOf(text);
    const present = urns.filter((u) => resources.some((r) => r.urn === u));
    const gone = withDescendants(resources, present);
    return {
        deployment: serialize(version, deployment, without(resources, gone)),
        forgotten: resources.filter((r) => gone.has(r.urn)).map((r) => r.urn),
    };
}

/** Which resource takes over which instance, and what goes with the one it replaces. */
export interface Adoption {
    /** The resource that stays declared (the primary stack's database instance). */
    readonly keeper: string;
    /** The resource whose cloud instance the keeper takes over (the promoted failback replica). */
    readonly donor: string;
    /** The donor's component (forgotten with every child), when it has one. */
    readonly donorComponent?: string;
    /** Further resources to forget: those bound to the keeper's old instance (its backup replication). */
    readonly alsoForget?: readonly string[];
}

/**
 * Points `keeper` at the donor's cloud instance (its `id`: pulumi-aws tracks an RDS instance
 * by its DbiResourceId, which a rename keeps) and forgets the donor, its component and
 * `alsoForget`. The keeper's old instance is then no longer in the state and is left as it is.
 * Throws naming the URN when the keeper is not in the state, or the donor has no id. A state
 * without the donor (the edit was imported already) is returned unchanged, with nothing forgotten.
 */
export function adoptInstance(text: string, adoption: Adoption): StateEdit & { readonly adoptedId?: string } {
    const { version, deployment, resources } = resourcesOf(text);
    const keeper = resources.find((r) => r.urn === adoption.keeper);
    if (!keeper) {
        throw new Error(`the state holds no ${adoption.keeper}: nothing was imported`);
    }
    const donor = resources.find((r) => r.urn === adoption.donor);
    if (!donor) {
        return { deployment: text, forgotten: [] };
    }
    if (typeof donor.id !== "string" || donor.id === "") {
        throw new Error(`${adoption.donor} has no id in the state (never created?): nothing was imported`);
    }
    const roots = [
        adoption.donor,
        ...(adoption.donorComponent ? [adoption.donorComponent] : []),
        ...(adoption.alsoForget ?? []),
    ];
    const gone = withDescendants(
        resources,
        roots.filter((u) => resources.some((r) => r.urn === u)),
    );
    gone.delete(adoption.keeper);
    const edited = without(
        resources.map((r) => (r.urn === adoption.keeper ? { ...r, id: donor.id } : r)),
        gone,
    );
    return {
        deployment: serialize(version, deployment, edited),
        forgotten: resources.filter((r) => gone.has(r.urn)).map((r) => r.urn),
        adoptedId: donor.id,
    };
}

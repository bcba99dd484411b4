import { RecordedResource } from "../engine";

/** A recorded resource whose inputs and options a mutation may change. */
export type MutableResource = {
    -readonly [K in keyof RecordedResource]: RecordedResource[K] extends readonly (infer E)[]
        ? E[]
        : RecordedResource[K];
};

/**
 * A deep copy of one configuration's recorded resources, changed by one mutation row: the
 * inputs the engine would have sent had the program said otherwise. Every helper throws when
 * its target is not there, so a row that no longer matches the program fails loudly instead
 * of passing without having mutated anything.
 */
export class MutableStack {
    /** The resources, in registration order. */
    public readonly resources: MutableResource[];

    constructor(recorded: readonly RecordedResource[]) {
        this.resources = JSON.parse(JSON.stringify(recorded)) as MutableResource[];
    }

    /** Every resource of `type` (whose name contains `nameContains`, when given); throws when there is none. */
    public all(type: string, nameContains?: string): MutableResource[] {
        const found = this.resources.filter(
            (r) => r.type === type && (nameContains === undefined || r.name.includes(nameContains)),
        );
        if (found.length === 0) {
            const names = this.resources.filter((r) => r.type === type).map((r) => r.name);
            throw new Error(
                `no ${type}${nameContains ? ` named *${nameContains}*` : ""} to mutate (of that type: ${names.join(", ") || "none"})`,
            );
        }
        return found;
    }

    /** The first resource of `type` (whose name contains `nameContains`). */
    public one(type: string, nameContains?: string): MutableResource {
        return this.all(type, nameContains)[0];
    }

    /** Sets the input at `path` (dotted, `[n]` for elements; JSON-string documents are entered) to `value`. */
    public set(resource: MutableResource, path: string, value: unknown): this {
        resource.inputs = edit(resource.inputs, steps(path), () => value) as Record<string, unknown>;
        return this;
    }

    /** Changes the input at `path` with `change(current)`; throws when the path does not exist. */
    public update(resource: MutableResource, path: string, change: (current: unknown) => unknown): this {
        resource.inputs = edit(resource.inputs, steps(path), (current) => {
            if (current === undefined) {
                throw new Error(`${resource.type} ${resource.name} has no input ${path} to change`);
            }
            return change(current);
        }) as Record<string, unknown>;
        return this;
    }

    /** Removes the input at `path`. */
    public unset(resource: MutableResource, path: string): this {
        return this.set(resource, path, undefined);
    }

    /**
     * Removes `resource` as if the program had never declared it: gone from the stack and
     * from every other resource's dependencies.
     */
    public drop(resource: MutableResource): this {
        this.resources.splice(this.resources.indexOf(resource), 1);
        for (const other of this.resources) {
            other.dependencies = other.dependencies.filter((urn) => urn !== resource.urn);
            for (const [property, urns] of Object.entries(other.propertyDependencies ?? {})) {
                other.propertyDependencies[property] = urns.filter((urn) => urn !== resource.urn);
            }
        }
        return this;
    }

    /** Declares `resource` as another type (an Aurora cluster for an instance, `BucketV2` for `Bucket`). */
    public retype(resource: MutableResource, type: string): this {
        const oldUrn = resource.urn;
        const urn = oldUrn.replace(`::${resource.type}::`, `::${type}::`);
        resource.type = type;
        resource.urn = urn;
        for (const other of this.resources) {
            other.dependencies = other.dependencies.map((d) => (d === oldUrn ? urn : d));
            for (const [property, urns] of Object.entries(other.propertyDependencies ?? {})) {
                other.propertyDependencies[property] = urns.map((d) => (d === oldUrn ? urn : d));
            }
            if (other.parent === oldUrn) {
                other.parent = urn;
            }
        }
        return this;
    }
}

function steps(path: string): string[] {
    return path.match(/[^.[\]]+|\[\d+\]/g) ?? [];
}

/** A copy of `value` with the value at `path` replaced by `change(current)`; JSON strings are entered and re-serialized. */
function edit(value: unknown, path: readonly string[], change: (current: unknown) => unknown): unknown {
    if (path.length === 0) {
        return change(value);
    }
    if (typeof value === "string" && /^\s*[[{]/.test(value)) {
        return JSON.stringify(edit(JSON.parse(value) as unknown, path, change));
    }
    const [step, ...rest] = path;
    if (step.startsWith("[")) {
        const list = Array.isArray(value) ? [...(value as unknown[])] : [];
        const index = Number(step.slice(1, -1));
        list[index] = edit(list[index], rest, change);
        return list.filter((item) => item !== undefined);
    }
    const record = { ...((value ?? {}) as Record<string, unknown>) };
    const next = edit(record[step], rest, change);
    if (next === undefined) {
        delete record[step];
    } else {
        record[step] = next;
    }
    return record;
}

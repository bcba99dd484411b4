import { OfflineRun, RecordedResource } from "./engine";
import { FAKE_ACCOUNT_ID } from "./fake-cloud";
import { readPath, RECOVERY_SETTINGS } from "./recovery-settings";
import { describeOverrides, isVariant, StackConfiguration } from "./stack-variants";

/** A run to render: what the engine recorded, and the configuration it ran when it is not the plain stack file. */
export type RenderedRun = OfflineRun & {
    /** The configuration run. @default the stack's committed file, without overrides */
    readonly configuration?: StackConfiguration;
};

/** The JSON document `npm run plan -- --json` prints. */
export interface PlanDocument {
    /** Says what this is, so nobody mistakes it for a preview against AWS. */
    readonly note: string;
    /** Per configuration (a stack's name, or a named configuration's: `dr:warm`): its resources and outputs. */
    readonly stacks: Record<
        string,
        {
            /** The Pulumi stack whose file the configuration starts from (its URNs are that stack's). */
            readonly stack: string;
            /** Config values set over the stack file (full keys); empty for the file as committed. */
            readonly overrides: Record<string, string>;
            readonly resources: Array<{
                urn: string;
                type: string;
                name: string;
                parent: string | null;
                provider: string | null;
                region: string | null;
                protect: boolean;
                retainOnDelete: boolean;
                inputs: Record<string, unknown>;
            }>;
            readonly outputs: Record<string, unknown>;
        }
    >;
}

/** The sentence both output formats open with. */
export const OFFLINE_NOTE =
    "OFFLINE PLAN: the real program run under the Pulumi mock engine. Nothing was sent to AWS and no Pulumi CLI was used; " +
    `ids, ARNs and the account (${FAKE_ACCOUNT_ID}) are placeholders. For a real preview: pulumi preview -s <stack>.`;

/** Builds the JSON plan document for the given runs. */
export function planDocument(runs: readonly RenderedRun[]): PlanDocument {
    const stacks: PlanDocument["stacks"] = {};
    for (const run of runs) {
        stacks[run.configuration?.name ?? run.stack] = {
            stack: run.stack,
            overrides: { ...run.configuration?.overrides },
            resources: run.resources.map((r) => ({
                urn: r.urn,
                type: r.type,
                name: r.name,
                parent: r.parent ?? null,
                provider: r.provider ? providerUrn(r.provider) : null,
                region: r.region ?? null,
                protect: r.protect,
                retainOnDelete: r.retainOnDelete,
                inputs: r.inputs,
            })),
            outputs: run.outputs,
        };
    }
    return { note: OFFLINE_NOTE, stacks };
}

/** Renders one stack as a tree of resources with their recovery settings, then a summary. */
export function renderStack(run: RenderedRun): string {
    const configuration =
        run.configuration && isVariant(run.configuration)
            ? `; configuration ${run.configuration.name}: ${describeOverrides(run.configuration.overrides)}`
            : "";
    const lines: string[] = [`Stack ${run.stack}  (project ${run.project}${configuration})`];
    const known = new Set(run.resources.map((r) => r.urn));
    const children = new Map<string | undefined, RecordedResource[]>();
    for (const resource of run.resources) {
        const parent = resource.parent && known.has(resource.parent) ? resource.parent : undefined;
        children.set(parent, [...(children.get(parent) ?? []), resource]);
    }
    const walk = (parent: string | undefined, indent: string): void => {
        const siblings = children.get(parent) ?? [];
        siblings.forEach((resource, index) => {
            const last = index === siblings.length - 1;
            lines.push(`${indent}${last ? "└─ " : "├─ "}${describe(resource)}`);
            const settings = settingsOf(resource);
            const childIndent = indent + (last ? "   " : "│  ");
            const detailIndent =
                childIndent + ((children.get(resource.urn) ?? []).length > 0 ? "│  " : "   ");
            for (const setting of settings) {
                lines.push(`${detailIndent}${setting}`);
            }
            walk(resource.urn, childIndent);
        });
    };
    walk(undefined, "");
    lines.push("", ...summary(run));
    return lines.join("\n");
}

function describe(resource: RecordedResource): string {
    const flags = [
        resource.region ? `[${resource.region}]` : "",
        resource.protect ? "protect" : "",
        resource.retainOnDelete ? "retainOnDelete" : "",
    ];
    return [resource.type, resource.name, ...flags].filter(Boolean).join("  ");
}

function settingsOf(resource: RecordedResource): string[] {
    const paths = RECOVERY_SETTINGS[resource.type] ?? [];
    return paths
        .map((path) => {
            const value = readPath(resource.inputs, path);
            return value === undefined
                ? undefined
                : `· ${path} = ${typeof value === "string" ? value : JSON.stringify(value)}`;
        })
        .filter((line): line is string => line !== undefined);
}

function summary(run: RenderedRun): string[] {
    const custom = run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    const byRegion = new Map<string, number>();
    for (const resource of custom) {
        const region = resource.region ?? "(no region)";
        byRegion.set(region, (byRegion.get(region) ?? 0) + 1);
    }
    const guarded = custom.filter((r) => r.protect && r.retainOnDelete).length;
    const providers = run.resources.filter((r) => r.type.startsWith("pulumi:providers:")).length;
    const components = run.resources.filter((r) => !r.custom).length;
    const lines = [
        `Summary of ${run.configuration?.name ?? run.stack}: ${count(custom.length, "cloud resource")}, ${count(components, "component")}, ${count(providers, "provider")}`,
        `  by region: ${[...byRegion].map(([region, count]) => `${region} ${count}`).join(", ") || "none"}`,
        `  protected and retained on delete: ${guarded} of ${custom.length}`,
        "  outputs:",
    ];
    for (const [name, value] of Object.entries(run.outputs)) {
        const text =
            value === undefined ? "(not set)" : typeof value === "string" ? value : JSON.stringify(value);
        lines.push(`    ${name}: ${text.includes("\n") ? text.split("\n").join("\n      ") : text}`);
    }
    return lines;
}

/** A provider reference is `urn::id`; the plan shows the URN. */
function providerUrn(reference: string): string {
    const separator = reference.lastIndexOf("::");
    return separator > 0 ? reference.slice(0, separator) : reference;
}

function count(n: number, noun: string): string {
    return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

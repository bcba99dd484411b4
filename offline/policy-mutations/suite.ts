import { RecordedResource } from "../engine";
import { PolicyViolation, ServedPolicyPack } from "../policy-pack-client";
import { policyObjectivesOf, policyPackConfigFor, stackConfigOf } from "../policy-config";
import { ConfigurationRun } from "../stack-runs";
import { MutableStack } from "./mutable-stack";
import { MutationRow } from "./row";

/** The configuration a row mutates. */
export function configurationOf(row: MutationRow): string {
    return row.configuration ?? "primary";
}

/** What one row came to. */
export interface RowOutcome {
    /** The row. */
    readonly row: MutationRow;
    /** Whether its policy reported a mandatory violation the unmutated stack does not have. */
    readonly caught: boolean;
    /** Every policy that reported a new mandatory violation. */
    readonly firing: readonly string[];
    /** Why the row could not be applied (it no longer matches the program), if so. */
    readonly error?: string;
}

/** The mandatory violations of `resources`; Analyze only for `changed` URNs when given. */
async function mandatory(
    pack: ServedPolicyPack,
    resources: readonly RecordedResource[],
    changed?: ReadonlySet<string>,
): Promise<PolicyViolation[]> {
    const found = await pack.analyze(resources, changed ? { analyzeOnly: changed } : {});
    return found.filter((v) => v.enforcement === "mandatory");
}

/**
 * The URNs a mutation changed (inputs, options, provider or type): resource policies are
 * pure per resource and the unmutated stack has no violation, so only these need Analyze
 * again; AnalyzeStack always sees the whole stack.
 */
function changedUrns(before: readonly RecordedResource[], after: readonly RecordedResource[]): Set<string> {
    const original = new Map(before.map((r) => [r.urn, JSON.stringify(r)]));
    return new Set(after.filter((r) => original.get(r.urn) !== JSON.stringify(r)).map((r) => r.urn));
}

const key = (v: PolicyViolation) => `${v.policy}\u0000${v.urn}\u0000${v.message}`;

/**
 * Runs every row on its configuration's recorded resources, with the pack configured from that
 * configuration's stack config, and says which were caught. The unmutated configuration must
 * have no mandatory violation (it is the baseline every row is measured against).
 */
export async function runMutationRows(
    pack: ServedPolicyPack,
    runs: readonly ConfigurationRun[],
    rows: readonly MutationRow[],
    progress: (line: string) => void = () => undefined,
): Promise<RowOutcome[]> {
    const outcomes: RowOutcome[] = [];
    for (const run of runs) {
        const mine = rows.filter((row) => configurationOf(row) === run.configuration.name);
        if (mine.length === 0) {
            continue;
        }
        await pack.configure(policyPackConfigFor(policyObjectivesOf(stackConfigOf(run.configuration))));
        const baseline = await mandatory(pack, run.resources);
        if (baseline.length > 0) {
            throw new Error(
                `${run.configuration.name} has mandatory violations before any mutation, so no row can be judged:\n` +
                    baseline.map((v) => `  ${v.policy} ${v.urn}: ${v.message}`).join("\n"),
            );
        }
        progress(`${run.configuration.name}: ${mine.length} rows`);
        for (const row of mine) {
            const stack = new MutableStack(run.resources);
            try {
                row.apply(stack);
            } catch (error) {
                outcomes.push({ row, caught: false, firing: [], error: (error as Error).message });
                continue;
            }
            const known = new Set(baseline.map(key));
            let found: PolicyViolation[];
            try {
                found = (
                    await mandatory(pack, stack.resources, changedUrns(run.resources, stack.resources))
                ).filter((v) => !known.has(key(v)));
            } catch (error) {
                outcomes.push({
                    row,
                    caught: false,
                    firing: [],
                    error: `the pack failed: ${(error as Error).message}`,
                });
                continue;
            }
            const firing = [...new Set(found.map((v) => v.policy))].sort();
            outcomes.push({ row, caught: firing.includes(row.policy), firing });
        }
    }
    return outcomes;
}

/** The report: one line per row, then caught/total. */
export function renderOutcomes(outcomes: readonly RowOutcome[]): string {
    const lines = outcomes.map((o) => {
        const status = o.caught ? "caught" : "MISSED";
        const where = configurationOf(o.row) === "primary" ? "" : ` [${configurationOf(o.row)}]`;
        const detail = o.error
            ? ` (row does not apply: ${o.error})`
            : o.caught
              ? ""
              : ` (expected ${o.row.policy}; fired: ${o.firing.join(", ") || "nothing"})`;
        return `${status}  ${o.row.policy}  ${o.row.service}: ${o.row.protection} — ${o.row.mutation}${where}${detail}`;
    });
    const caught = outcomes.filter((o) => o.caught).length;
    lines.push(`caught ${caught}/${outcomes.length} mutations`);
    return lines.join("\n");
}

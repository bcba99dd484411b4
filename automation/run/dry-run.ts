import type { RunPlan } from "./plan";
import type { RunDecision } from "./resume";
import { planWaves } from "./steps";

/**
 * A dry run: the plan in waves (steps of one wave run concurrently), what the read-only
 * steps find now (they are run; nothing else is), the command's own notes, and what a real
 * run would do with the journal. Writes nothing. Returns 1 when a read-only check fails
 * (a real run would stop there), 0 otherwise.
 */
export async function dryRun(
    plan: RunPlan,
    context: { title: string; decision: RunDecision; journalFile: string; out: (line: string) => void },
): Promise<number> {
    const { out, decision } = context;
    const done = new Set(decision.kind === "resume" ? decision.prior.steps.map((s) => s.step) : []);
    const journaled = decision.kind === "resume" ? decision.prior.steps : [];
    out(`DRY RUN: ${context.title}: ${plan.summary}; nothing will be changed or written.`);
    plan.findings.forEach((line) => out(`  ${line}`));
    planWaves(plan.steps).forEach((wave, index) => {
        const together = wave.length > 1 ? " (concurrently)" : "";
        const describe = (name: string) => {
            const step = plan.steps.find((s) => s.name === name);
            return `${name}: ${step?.describe ?? ""}${done.has(name) ? " (done in an earlier attempt: skipped)" : ""}`;
        };
        out(`  ${index + 1}. ${wave.map(describe).join(" | ")}${together}`);
    });
    let failed = false;
    const found = new Map<string, Readonly<Record<string, string>> | undefined>(
        journaled.map((entry) => [entry.step, entry.data]),
    );
    for (const step of plan.steps.filter((s) => s.readOnly && !done.has(s.name))) {
        if (!step.after.every((name) => found.has(name))) {
            continue;
        }
        try {
            const result = await step.run({ dataOf: (name) => found.get(name) });
            const outcome = typeof result === "string" ? { detail: result, data: undefined } : result;
            found.set(step.name, outcome.data);
            out(`  ${step.name} now: ${outcome.detail}`);
        } catch (error) {
            failed = true;
            out(`  ${step.name} now: FAILS: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
    for (const line of (await plan.dryRunNotes?.()) ?? []) {
        out(`  ${line}`);
    }
    out(
        decision.kind === "resume"
            ? `  a real run resumes run ${decision.prior.runId} (done: ${decision.prior.steps.map((s) => s.step).join(", ") || "nothing"}; journal ${context.journalFile})`
            : decision.kind === "supersede"
              ? `  a real run first sets aside run ${decision.prior.runId} (${decision.why}), then starts a new run (journal ${context.journalFile})`
              : `  a real run starts a new run (journal ${context.journalFile})`,
    );
    if (failed) {
        out("DRY RUN: a real run would stop at the failing check above.");
    }
    return failed ? 1 : 0;
}

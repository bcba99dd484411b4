import { DR_BASE, DR_WITH_DNS } from "../../../support/dr-config";
import * as assert from "assert";
import type { StackConfig } from "../../../../config/stack-config";
import type { AssetStatus, StatusReport } from "../../../../automation/commands/status/document";
import { statusDefinition } from "../../../../automation/commands/status/definition";
import type { StatusFormat } from "../../../../automation/commands/status/request";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { runDefinition } from "../../../support/commands";

/** The clock of every status test. */
export const NOW = new Date("2026-11-25T03:00:00Z");

/** A minute in milliseconds. */
export const MINUTE = 60_000;

/** `minutes` before `now`. */
export function minutesAgo(minutes: number, now = NOW): Date {
    return new Date(now.getTime() - minutes * MINUTE);
}

/** The dr stack's config as the repository has it: no hosted zone, so DNS failover is not managed. */
export const BASE = DR_BASE;

/** The dr config with a hosted zone: DNS failover managed, so a normal day is READY. */
export const WITH_DNS: StackConfig = DR_WITH_DNS;

/** How one test runs status. */
export interface StatusRun {
    /** The config. @default WITH_DNS */
    readonly config?: StackConfig;
    /** The work directory (journals). */
    readonly workDir: string;
}

/** Runs `npm run dr -- status` as the CLI does (a rehearsal); the output is the world's lines. */
export async function runStatus(
    world: SimulatedWorld,
    format: StatusFormat,
    options: StatusRun,
): Promise<{ code: number; output: string }> {
    const code = await runDefinition(
        statusDefinition,
        { format },
        { world, config: options.config ?? WITH_DNS, workDir: options.workDir },
    );
    return { code, output: world.lines.join("\n") };
}

/** Runs status in json format; the whole output must parse as one document. */
export async function statusDocument(
    world: SimulatedWorld,
    options: StatusRun,
): Promise<{ code: number; doc: StatusReport }> {
    const { code, output } = await runStatus(world, "json", options);
    return { code, doc: JSON.parse(output) as StatusReport };
}

/** The row `id` of a report; fails naming the rows there are. */
export function row(doc: StatusReport, id: string): AssetStatus {
    const found = doc.assets.find((r) => r.id === id);
    assert.ok(found, `no row ${id} in ${doc.assets.map((r) => r.id).join(", ")}`);
    return found;
}

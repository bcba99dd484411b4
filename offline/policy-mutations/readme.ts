import { MutationRow } from "./row";

/** Markers around the README's list of enforced settings, generated from the mutation rows. */
export const ENFORCED_SETTINGS_MARKERS = {
    start: "<!-- enforced settings: generated from offline/policy-mutations/rows by npm run runbook -->",
    end: "<!-- end of generated enforced settings -->",
} as const;

/**
 * The README's table of enforced settings: each protection the rows remove, with the policy
 * that catches it and the mutations that prove it. Generated, so the README claims exactly
 * what `npm run policy:mutations` checks.
 */
export function renderEnforcedSettings(rows: readonly MutationRow[]): string {
    const groups = new Map<
        string,
        { service: string; protection: string; policies: Set<string>; mutations: string[] }
    >();
    for (const row of rows) {
        const id = `${row.service}\u0000${row.protection}`;
        const group = groups.get(id) ?? {
            service: row.service,
            protection: row.protection,
            policies: new Set(),
            mutations: [],
        };
        group.policies.add(row.policy);
        group.mutations.push(row.mutation + (row.configuration ? ` (${row.configuration})` : ""));
        groups.set(id, group);
    }
    const cell = (text: string) => text.replace(/\|/g, "\\|");
    const lines = [
        "| service | enforced setting | policy | removed by (each caught) |",
        "| --- | --- | --- | --- |",
        ...[...groups.values()].map(
            (g) =>
                `| ${cell(g.service)} | ${cell(g.protection)} | ${[...g.policies].map((p) => `\`${p}\``).join(", ")} | ${cell(g.mutations.join("; "))} |`,
        ),
    ];
    return lines.join("\n");
}

/** `readme` with the enforced-settings table regenerated between its markers. */
export function renderReadmeEnforcedSettings(readme: string, rows: readonly MutationRow[]): string {
    const start = readme.indexOf(ENFORCED_SETTINGS_MARKERS.start);
    const end = readme.indexOf(ENFORCED_SETTINGS_MARKERS.end);
    if (start < 0 || end < start) {
        throw new Error(
            `README.md must hold the markers ${ENFORCED_SETTINGS_MARKERS.start} and ${ENFORCED_SETTINGS_MARKERS.end}`,
        );
    }
    return `${readme.slice(0, start)}${ENFORCED_SETTINGS_MARKERS.start}\n\n${renderEnforcedSettings(rows)}\n\n${readme.slice(end)}`;
}

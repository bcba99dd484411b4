/**
 * Import cycles that existed when scripts/check-imports.ts was introduced, all inside
 * automation/ and most through `import type`, listed so that the check can run in `npm test`
 * now: any cycle not listed here fails it, and so does an entry here that no longer exists, so
 * the list only shrinks. Each is written from its alphabetically first file; remove an entry
 * when its cycle is broken (a shared type moved to a module of its own, say).
 */
export const KNOWN_IMPORT_CYCLES: readonly (readonly string[])[] = [
    // automation/simulation/: the simulated world's parts name its type, and it builds them.
    ["automation/simulation/backup.ts", "automation/simulation/world.ts"],
    [
        "automation/simulation/cluster.ts",
        "automation/simulation/objects.ts",
        "automation/simulation/world.ts",
    ],
    ["automation/simulation/cluster.ts", "automation/simulation/tool.ts", "automation/simulation/world.ts"],
    ["automation/simulation/cluster.ts", "automation/simulation/world.ts"],
    ["automation/simulation/data.ts", "automation/simulation/world.ts"],
    ["automation/simulation/database.ts", "automation/simulation/world.ts"],
    ["automation/simulation/deploy-runner.ts", "automation/simulation/workspace.ts"],
    [
        "automation/simulation/deploy-runner.ts",
        "automation/simulation/workspace.ts",
        "automation/simulation/world.ts",
    ],
    ["automation/simulation/deploy-runner.ts", "automation/simulation/world.ts"],
    ["automation/simulation/identity.ts", "automation/simulation/world.ts"],
    ["automation/simulation/jobs.ts", "automation/simulation/world.ts"],
    ["automation/simulation/lock.ts", "automation/simulation/world.ts"],
    ["automation/simulation/notifications.ts", "automation/simulation/world.ts"],
    ["automation/simulation/tools.ts", "automation/simulation/world.ts"],
    ["automation/simulation/traffic.ts", "automation/simulation/world.ts"],
];

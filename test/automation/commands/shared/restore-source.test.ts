import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { StackConfig } from "../../../../config/stack-config";
import { drStackConfig } from "../../../../automation/commands/dr-config";
import { chooseRestoreSource } from "../../../../automation/commands/shared/restore-source";
import { SEEDED_AGES_MINUTES, standardWorld } from "../../../../automation/simulation/standard-world";
import {
    BACKUP_TARGETS,
    drCopyPeriodMinutes,
    drCopyRpoMinutes,
    rulesForTarget,
} from "../../../../lib/backup-rules";
import { PROJECT_ROOT } from "../../../../config/stack-files";
import { useTempDir } from "../../../support/temp-dir";
import { row, statusDocument } from "../status/support";

const NOW = new Date("2026-11-25T03:00:00Z");
const BASE = drStackConfig();
/** The newest DR-vault point the standard world seeds: 50 min before NOW. */
const POINT_AT = new Date(NOW.getTime() - SEEDED_AGES_MINUTES.recoveryPoints * 60_000).toISOString();

/** BASE with another database RPO, and the database plan derived from it as the config parser does. */
function withDatabaseRpo(rpoMinutes: number): StackConfig {
    const objectives = { ...BASE.objectives, database: { ...BASE.objectives.database, rpoMinutes } };
    const target = BACKUP_TARGETS.find((t) => t.id === "database")!;
    return {
        ...BASE,
        objectives,
        backup: {
            ...BASE.backup,
            rules: {
                ...BASE.backup.rules,
                database: rulesForTarget(target, objectives, BASE.backup.retention),
            },
        },
    };
}

/** The restore source chosen with no replicated automated backups (the DR-vault fallback). */
async function fallback(config: StackConfig, failureTime?: Date): Promise<string> {
    const world = standardWorld(config, { now: NOW });
    world.dr.replicatedBackups.clear();
    const { choice, description } = await chooseRestoreSource(config, "latest", world.ports(), failureTime);
    assert.strictEqual(choice.source, "recovery-point");
    assert.strictEqual(choice.point, POINT_AT);
    return description;
}

describe("automation/commands/shared/restore-source: the DR-vault fallback", () => {
    it("warns that the DR vault's RPO is its copy period, not the database RPO, and how old the point is", async () => {
        const failure = new Date(NOW.getTime() - 5 * 60_000);
        const text = await fallback(BASE, failure);
        assert.match(text, /^WARNING: no automated backups are replicated into us-west-2/);
        assert.match(
            text,
            new RegExp(
                `taken ${POINT_AT}, 45 min before the failure \\(${failure.toISOString()}\\)`.replace(
                    /\./g,
                    "\\.",
                ),
            ),
        );
        assert.match(
            text,
            /the DR vault receives a snapshot copy every 60 min, landing up to 240 min after its schedule, so its RPO is up to 300 min, not the database RPO of 30 min/,
        );
        assert.match(text, new RegExp(`writes after ${POINT_AT.replace(/\./g, "\\.")} are lost`));
    });

    it("says how old the point is now when no failure time is given (a drill)", async () => {
        assert.match(await fallback(BASE), /, 50 min before now \(2026-11-25T03:00:00\.000Z\)/);
    });

    it("names the copy period of the database's own plan (4-hourly snapshots for an RPO of 240 min)", async () => {
        const slow = withDatabaseRpo(240);
        assert.strictEqual(drCopyPeriodMinutes(slow.backup.rules.database), 240);
        assert.match(
            await fallback(slow),
            /a snapshot copy every 240 min, landing up to 240 min after its schedule, so its RPO is up to 480 min/,
        );
    });
});

describe("the DR vault's copy period has one definition, shared by status and restore", () => {
    const workDir = useTempDir("restore-source-");

    for (const rpo of [5, 240]) {
        it(`status's limit for the DR-vault row and the fallback's warning agree (database RPO ${rpo} min)`, async () => {
            const config = withDatabaseRpo(rpo);
            const period = drCopyPeriodMinutes(config.backup.rules.database);
            const vaultRpo = drCopyRpoMinutes(config.backup.rules.database);
            const { doc } = await statusDocument(standardWorld(config, { now: NOW }), {
                config,
                workDir: workDir(),
            });
            assert.strictEqual(row(doc, "database-recovery-point").limitMinutes, Math.max(rpo, vaultRpo));
            assert.match(
                row(doc, "database-recovery-point").note,
                new RegExp(`(every ${period} min|the limit is)`),
            );
            assert.match(
                await fallback(config),
                new RegExp(`a snapshot copy every ${period} min, .* its RPO is up to ${vaultRpo} min`),
            );
        });
    }

    it("is computed by lib/backup-rules.ts alone: status and restore import it, neither recomputes it", () => {
        for (const file of [
            "automation/commands/status/probes.ts",
            "automation/commands/shared/restore-source.ts",
        ]) {
            const source = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
            assert.match(
                source,
                /import \{[^}]*\bdrCopyRpoMinutes\b[^}]*\} from "[./]*lib\/backup-rules"/,
                file,
            );
            assert.doesNotMatch(source, /mostFrequentPeriodHours|periodHours\s*\*\s*60/, file);
        }
    });
});

import * as assert from "assert";
import { drStackConfig } from "../../../automation/commands/dr-config";
import {
    standardWorld,
    SEEDED_AGES_MINUTES,
    stateObjectKey,
} from "../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../automation/simulation/world";
import {
    AssetStatus,
    displayMinutes,
    judgeAge,
    StatusReport,
    statusCommand,
    StatusOptions,
    unreplicatedSince,
    verdictOf,
} from "../../../automation/commands/status";
import { bundlePrefixOf } from "../../../lib/artifacts";
import { backupVaultName, bucketName } from "../../../lib/naming";

const NOW = new Date("2026-11-25T03:00:00Z");
const MINUTE = 60_000;
const config = drStackConfig();
const minutesAgo = (minutes: number, now = NOW) => new Date(now.getTime() - minutes * MINUTE);

async function run(world: SimulatedWorld, format: StatusOptions["format"] = "json") {
    const code = await statusCommand({ format }, world.ports(), config);
    return { code, output: world.lines.join("\n") };
}

async function report(world: SimulatedWorld): Promise<{ code: number; doc: StatusReport }> {
    const { code, output } = await run(world, "json");
    return { code, doc: JSON.parse(output) as StatusReport };
}

function row(doc: StatusReport, id: string): AssetStatus {
    const found = doc.assets.find((r) => r.id === id);
    assert.ok(found, `no row ${id} in ${doc.assets.map((r) => r.id).join(", ")}`);
    return found;
}

describe("status: the verdict rule", () => {
    const cases: { behindMs: number | undefined; limit: number; verdict: string; label?: string }[] = [
        { behindMs: 0, limit: 5, verdict: "ok" },
        { behindMs: 5 * MINUTE, limit: 5, verdict: "ok" },
        { behindMs: 5 * MINUTE + 1, limit: 5, verdict: "STALE", label: "5 min and 1 ms behind" },
        { behindMs: 6 * MINUTE, limit: 5, verdict: "STALE" },
        { behindMs: 60 * MINUTE, limit: 60, verdict: "ok" },
        { behindMs: 61 * MINUTE, limit: 60, verdict: "STALE" },
        { behindMs: undefined, limit: 15, verdict: "MISSING" },
    ];
    for (const c of cases) {
        it(`${c.label ?? (c.behindMs === undefined ? "no copy" : `${c.behindMs / MINUTE} min behind`)} against ${c.limit} min is ${c.verdict}`, () => {
            assert.strictEqual(verdictOf(c.behindMs, c.limit), c.verdict);
        });
    }

    it("judges the age of the newest copy: at the RPO ok, a minute past it STALE, none MISSING", () => {
        assert.deepStrictEqual(judgeAge(minutesAgo(15), NOW, 15), { behindMinutes: 15, verdict: "ok" });
        assert.deepStrictEqual(judgeAge(minutesAgo(16), NOW, 15), { behindMinutes: 16, verdict: "STALE" });
        assert.deepStrictEqual(judgeAge(undefined, NOW, 15), { behindMinutes: null, verdict: "MISSING" });
        // A copy stamped a little ahead of this machine's clock is not behind at all.
        assert.deepStrictEqual(judgeAge(minutesAgo(-1), NOW, 15), { behindMinutes: 0, verdict: "ok" });
    });

    it("shows minutes rounded up, so a displayed value at the limit never hides a failure", () => {
        assert.strictEqual(displayMinutes(5 * MINUTE), 5);
        assert.strictEqual(displayMinutes(5 * MINUTE + 1), 5.1);
        assert.strictEqual(displayMinutes(-MINUTE), 0);
    });

    it("finds a state version unreplicated by version id, and falls back to times without ids", () => {
        const home = { key: "k", lastModified: minutesAgo(3), size: 1, versionId: "v4" };
        const replica = [{ key: "k", lastModified: minutesAgo(20), size: 1, versionId: "v3" }];
        assert.strictEqual(unreplicatedSince(home, replica)?.getTime(), minutesAgo(3).getTime());
        assert.strictEqual(unreplicatedSince(home, [...replica, { ...home }]), undefined);
        const noIds = { key: "k", lastModified: minutesAgo(3), size: 1 };
        assert.strictEqual(unreplicatedSince(noIds, [{ ...noIds, lastModified: minutesAgo(2) }]), undefined);
        assert.ok(unreplicatedSince(noIds, [{ ...noIds, lastModified: minutesAgo(4) }]));
    });
});

describe("status command (simulated world)", () => {
    const drArtifacts = (world: SimulatedWorld) =>
        bucketName(config.prefix, "artifacts", world.accountId, config.drRegion);

    it("reports every asset ok on a normal day and exits 0, changing nothing", async () => {
        const world = standardWorld(config, { now: NOW });
        const { code, doc } = await report(world);
        assert.strictEqual(code, 0, JSON.stringify(doc, null, 2));
        assert.deepStrictEqual(
            doc.assets.map((r) => [r.id, r.verdict]),
            [
                ["database-pitr", "ok"],
                ["database-recovery-point", "ok"],
                ["volumes-recovery-point", "ok"],
                ["argocd-export", "ok"],
                ["git-bundle", "ok"],
                ["state-replica", "ok"],
                ["dr-stack", "ok"],
            ],
        );
        assert.strictEqual(doc.verdict, "ready");
        assert.deepStrictEqual(doc.failing, []);
        assert.strictEqual(row(doc, "database-pitr").behindMinutes, SEEDED_AGES_MINUTES.replicatedBackups);
        assert.strictEqual(row(doc, "database-pitr").limitMinutes, config.objectives.database.rpoMinutes);
        assert.strictEqual(row(doc, "git-bundle").behindMinutes, SEEDED_AGES_MINUTES.gitBundle);
        assert.strictEqual(row(doc, "argocd-export").behindMinutes, SEEDED_AGES_MINUTES.argocdExport);
        // The state objects are older than the state RPO, but the replica has their newest
        // version: nothing would be lost, so nothing is behind.
        assert.ok(SEEDED_AGES_MINUTES.state > config.objectives.state.rpoMinutes);
        assert.strictEqual(row(doc, "state-replica").behindMinutes, 0);
        assert.strictEqual(
            row(doc, "state-replica").newest,
            minutesAgo(SEEDED_AGES_MINUTES.state).toISOString(),
        );
        // The DR vault gets hourly copies, so its database fallback is judged against that, not 5 min.
        assert.strictEqual(row(doc, "database-recovery-point").limitMinutes, 60);
        assert.match(row(doc, "database-recovery-point").note, /met by PITR/);
        assert.deepStrictEqual(doc.drStack, {
            name: "dr",
            reachable: true,
            posture: "pilot",
            activated: false,
        });
        assert.strictEqual(doc.account, world.accountId);
        assert.ok(row(doc, "git-bundle").where.includes(drArtifacts(world)));
        assert.deepStrictEqual(world.changes, []);
    });

    it("renders an aligned table and a READY verdict line in text format", async () => {
        const world = standardWorld(config, { now: NOW, posture: "warm" });
        const { code, output } = await run(world, "text");
        assert.strictEqual(code, 0, output);
        const lines = output.split("\n");
        const headerAt = lines.findIndex((l) => l.startsWith("ASSET"));
        assert.ok(headerAt > 0, output);
        const header = lines[headerAt];
        const table = lines.slice(headerAt + 1, lines.indexOf("", headerAt));
        const verdictColumn = header.indexOf("VERDICT");
        for (const title of [
            "database PITR",
            "volumes recovery point",
            "Git bundle",
            "state replica",
            "DR stack",
        ]) {
            const line = table.find((l) => l.startsWith(`${title} `));
            assert.ok(line, `no table line for ${title}:\n${output}`);
            assert.strictEqual(line.slice(verdictColumn).trim(), "ok", line);
        }
        assert.match(output, /DR stack dr: posture warm, not activated/);
        assert.strictEqual(lines[lines.length - 1], "verdict: READY: all 7 checks ok");
        assert.deepStrictEqual(world.changes, []);
    });

    it("exits 1 naming the Git bundle when the newest bundle is a minute past the source RPO", async () => {
        const rpo = config.objectives.source.rpoMinutes;
        const bundles = bundlePrefixOf(config.platform.mirror.repository);
        for (const [age, expected] of [
            [rpo, 0],
            [rpo + 1, 1],
        ] as const) {
            const world = standardWorld(config, { now: NOW });
            world.dr.buckets.get(drArtifacts(world))!.delete(`${bundles}20261125T024700Z.bundle`);
            world.dr.put(drArtifacts(world), `${bundles}older.bundle`, "b", minutesAgo(age));
            const { code, doc } = await report(world);
            assert.strictEqual(code, expected, JSON.stringify(doc.assets, null, 2));
            assert.strictEqual(row(doc, "git-bundle").behindMinutes, age);
            assert.strictEqual(row(doc, "git-bundle").verdict, expected === 0 ? "ok" : "STALE");
            assert.deepStrictEqual(doc.failing, expected === 0 ? [] : ["git-bundle"]);
            assert.deepStrictEqual(world.changes, []);
        }
    });

    it("names the stale asset and what to check in the text verdict", async () => {
        // A world where the mirror stopped 40 minutes ago: its newest bundle is the old one.
        const world = standardWorld(config, { now: NOW });
        const bundles = bundlePrefixOf(config.platform.mirror.repository);
        world.dr.buckets.get(drArtifacts(world))!.delete(`${bundles}20261125T024700Z.bundle`);
        world.dr.put(drArtifacts(world), `${bundles}20261125T022000Z.bundle`, "b", minutesAgo(40));
        const { code, output } = await run(world, "text");
        assert.strictEqual(code, 1, output);
        const lines = output.split("\n");
        assert.strictEqual(
            lines[lines.length - 1],
            "verdict: NOT READY: 1 of 7 checks failing: Git bundle STALE",
        );
        assert.match(output, /^Git bundle .* 40\.0 +15 +STALE$/m);
        assert.match(
            output,
            /check: aws s3 ls s3:\/\/webank-artifacts-123456789012-us-west-2\/git-bundles\/webank\/platform\//,
        );
        assert.match(output, /aws codebuild list-builds-for-project --project-name webank-source-mirror/);
        assert.deepStrictEqual(world.changes, []);
    });

    it("reports MISSING with what to check when the DR vault has no recovery points", async () => {
        const world = standardWorld(config, { now: NOW });
        world.dr.vaults.set(backupVaultName(config.prefix), []);
        const { code, doc } = await report(world);
        assert.strictEqual(code, 1);
        for (const id of ["database-recovery-point", "volumes-recovery-point"]) {
            assert.strictEqual(row(doc, id).verdict, "MISSING");
            assert.strictEqual(row(doc, id).newest, null);
            assert.match(
                row(doc, id).check,
                /aws backup list-recovery-points-by-backup-vault --region us-west-2/,
            );
        }
        assert.deepStrictEqual(doc.failing, ["database-recovery-point", "volumes-recovery-point"]);
        assert.strictEqual(row(doc, "database-pitr").verdict, "ok");
        assert.deepStrictEqual(world.changes, []);
    });

    it("reports MISSING when no automated backups are replicated into the DR region", async () => {
        const world = standardWorld(config, { now: NOW });
        world.dr.replicatedBackups.clear();
        const { code, doc } = await report(world);
        assert.strictEqual(code, 1);
        assert.strictEqual(row(doc, "database-pitr").verdict, "MISSING");
        assert.match(row(doc, "database-pitr").note, /no automated backups of webank-db are replicated/);
        assert.deepStrictEqual(world.changes, []);
    });

    it("fails the state row when a state version has waited unreplicated longer than the state RPO", async () => {
        const rpo = config.objectives.state.rpoMinutes;
        for (const [age, verdict] of [
            [rpo, "ok"],
            [rpo + 1, "STALE"],
        ] as const) {
            const world = standardWorld(config, { now: NOW });
            const homeState = bucketName(config.prefix, "state", world.accountId, config.homeRegion);
            world.home.put(homeState, stateObjectKey("primary"), "{}", minutesAgo(age));
            const { code, doc } = await report(world);
            assert.strictEqual(row(doc, "state-replica").verdict, verdict);
            assert.strictEqual(row(doc, "state-replica").behindMinutes, age);
            assert.match(row(doc, "state-replica").note, /lacks the home bucket's newest state version v4/);
            assert.strictEqual(code, verdict === "ok" ? 0 : 1);
            assert.deepStrictEqual(world.changes, []);
        }
    });

    it("keeps reporting every other row when one lookup fails, and fails that row", async () => {
        const world = standardWorld(config, { now: NOW });
        world.failNext("dr.database.replicatedBackups", new Error("ThrottlingException: Rate exceeded"));
        const { code, doc } = await report(world);
        assert.strictEqual(code, 1);
        assert.strictEqual(row(doc, "database-pitr").verdict, "UNREACHABLE");
        assert.match(row(doc, "database-pitr").note, /ThrottlingException: Rate exceeded/);
        assert.match(row(doc, "database-pitr").check, /aws rds describe-db-instance-automated-backups/);
        assert.deepStrictEqual(doc.failing, ["database-pitr"]);
        assert.strictEqual(doc.assets.length, 7);
        assert.deepStrictEqual(world.changes, []);
    });

    it("reports an unreachable DR stack as its own failing row", async () => {
        const world = standardWorld(config, { now: NOW });
        world.failNext("workspace.selectStack", new Error("stack dr not found: no backend logged in"));
        const { code, output } = await run(world, "text");
        assert.strictEqual(code, 1, output);
        assert.match(output, /DR stack dr: UNREACHABLE/);
        assert.match(output, /DR stack: the dr stack could not be read: stack dr not found/);
        assert.match(output, /check: pulumi config -s dr/);
        assert.match(output, /verdict: NOT READY: 1 of 7 checks failing: DR stack UNREACHABLE$/);
        assert.match(output, /^Git bundle .* ok$/m);
        assert.deepStrictEqual(world.changes, []);
    });

    it("fails the state row as unreachable when the home state bucket cannot be read, showing the replica's newest", async () => {
        const world = standardWorld(config, { now: NOW });
        world.failNext(
            "home.objects.newestObject",
            new Error("connect ETIMEDOUT s3.us-east-1.amazonaws.com"),
        );
        const { code, doc } = await report(world);
        assert.strictEqual(code, 1);
        const state = row(doc, "state-replica");
        assert.strictEqual(state.verdict, "UNREACHABLE");
        assert.match(state.note, /ETIMEDOUT/);
        assert.match(state.note, /replica's newest is \.pulumi\/stacks\/webank\/(primary|dr)\.json/);
        assert.deepStrictEqual(doc.failing, ["state-replica"]);
        assert.deepStrictEqual(world.changes, []);
    });

    it("still reports the database and the DR stack when the account id cannot be read", async () => {
        const world = standardWorld(config, { now: NOW });
        world.failNext("identity.accountId", new Error("ExpiredToken"));
        const { code, doc } = await report(world);
        assert.strictEqual(code, 1);
        assert.strictEqual(doc.account, null);
        assert.deepStrictEqual(doc.failing, ["argocd-export", "git-bundle", "state-replica"]);
        assert.match(row(doc, "git-bundle").note, /account id could not be read \(ExpiredToken\)/);
        assert.ok(row(doc, "git-bundle").where.includes("<account>"));
        assert.strictEqual(row(doc, "database-pitr").verdict, "ok");
        assert.strictEqual(row(doc, "dr-stack").verdict, "ok");
        assert.deepStrictEqual(world.changes, []);
    });

    it("shows an activated DR stack", async () => {
        const world = standardWorld(config, { now: NOW });
        world.stacks.get("dr")!.config["webank:activated"] = "true";
        const { doc } = await report(world);
        assert.deepStrictEqual(doc.drStack, {
            name: "dr",
            reachable: true,
            posture: "pilot",
            activated: true,
        });
        assert.match(row(doc, "dr-stack").note, /ACTIVATED/);
        assert.deepStrictEqual(world.changes, []);
    });

    it("prints a stable JSON document", async () => {
        const world = standardWorld(config, { now: NOW });
        const { doc } = await report(world);
        assert.deepStrictEqual(Object.keys(doc), [
            "schema",
            "generatedAt",
            "prefix",
            "homeRegion",
            "drRegion",
            "account",
            "drStack",
            "assets",
            "verdict",
            "failing",
        ]);
        assert.strictEqual(doc.schema, "webank-dr/status/v1");
        assert.strictEqual(doc.generatedAt, NOW.toISOString());
        for (const r of doc.assets) {
            assert.deepStrictEqual(Object.keys(r).sort(), [
                "assetClass",
                "behindMinutes",
                "check",
                "id",
                "limitMinutes",
                "newest",
                "note",
                "rpoMinutes",
                "title",
                "verdict",
                "where",
            ]);
        }
        // Only the document goes to the output, so the scheduled run can redirect it to a file.
        assert.strictEqual(world.lines.length, 1);
    });

    it("refuses an unknown format before reading anything", async () => {
        const world = standardWorld(config, { now: NOW });
        const code = await statusCommand(
            { format: "yaml" as StatusOptions["format"] },
            world.ports(),
            config,
        );
        assert.strictEqual(code, 2);
        assert.deepStrictEqual(world.lines, ['error: --format must be one of text, json; got "yaml"']);
        assert.deepStrictEqual(world.calls, []);
    });
});

import * as assert from "assert";
import {
    displayMinutes,
    judgeAge,
    unreplicatedSince,
    verdictOf,
} from "../../../../automation/commands/status/probes";
import {
    standardWorld,
    SEEDED_AGES_MINUTES,
    stateObjectKey,
} from "../../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { bundlePrefixOf } from "../../../../lib/artifacts";
import { backupVaultName, bucketName } from "../../../../lib/naming";
import { filesUnder } from "../../../support/commands";
import { useTempDir } from "../../../support/temp-dir";
import { MINUTE, minutesAgo, NOW, row, runStatus, statusDocument, WITH_DNS } from "./support";

const config = WITH_DNS;

describe("status: the copy-age rule", () => {
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

describe("status: the copy-age rows (simulated world)", () => {
    const workDir = useTempDir("status-", {
        // Whatever a case did, status itself wrote nothing.
        beforeRemoving: (dir) => assert.deepStrictEqual(filesUnder(dir), []),
    });
    const drArtifacts = (world: SimulatedWorld) =>
        bucketName(config.prefix, "artifacts", world.accountId, config.drRegion);

    it("measures each copy's age on a normal day", async () => {
        const world = standardWorld(config, { now: NOW });
        const { doc } = await statusDocument(world, { workDir: workDir() });
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
        // The DR vault gets hourly copies, landing up to 240 min after their schedule (the rules'
        // start and completion windows), so its database fallback is judged against that, not 30 min.
        assert.strictEqual(row(doc, "database-recovery-point").limitMinutes, 60 + 240);
        assert.strictEqual(row(doc, "volumes-recovery-point").limitMinutes, 300);
        assert.match(row(doc, "database-recovery-point").note, /met by PITR/);
        assert.strictEqual(doc.account, world.accountId);
        assert.ok(row(doc, "git-bundle").where.includes(drArtifacts(world)));
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
            const { code, doc } = await statusDocument(world, { workDir: workDir() });
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
        const { code, output } = await runStatus(world, "text", { workDir: workDir() });
        assert.strictEqual(code, 1, output);
        const lines = output.split("\n");
        assert.strictEqual(
            lines[lines.length - 1],
            "verdict: NOT READY: 1 of 11 checks failing: Git bundle STALE",
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
        const { code, doc } = await statusDocument(world, { workDir: workDir() });
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
        const { code, doc } = await statusDocument(world, { workDir: workDir() });
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
            const version = world.home.put(homeState, stateObjectKey("primary"), "{}", minutesAgo(age));
            const { code, doc } = await statusDocument(world, { workDir: workDir() });
            assert.strictEqual(row(doc, "state-replica").verdict, verdict);
            assert.strictEqual(row(doc, "state-replica").behindMinutes, age);
            assert.ok(
                row(doc, "state-replica").note.includes(
                    `lacks the home bucket's newest state version ${version}`,
                ),
                row(doc, "state-replica").note,
            );
            assert.strictEqual(code, verdict === "ok" ? 0 : 1);
            assert.deepStrictEqual(world.changes, []);
        }
    });

    it("keeps reporting every other row when one lookup fails, and fails that row", async () => {
        const world = standardWorld(config, { now: NOW });
        world.failNext("dr.database.replicatedBackups", new Error("ThrottlingException: Rate exceeded"));
        const { code, doc } = await statusDocument(world, { workDir: workDir() });
        assert.strictEqual(code, 1);
        assert.strictEqual(row(doc, "database-pitr").verdict, "UNREACHABLE");
        assert.match(row(doc, "database-pitr").note, /ThrottlingException: Rate exceeded/);
        assert.match(row(doc, "database-pitr").check, /aws rds describe-db-instance-automated-backups/);
        assert.deepStrictEqual(doc.failing, ["database-pitr"]);
        assert.strictEqual(doc.verdict, "not-ready");
        assert.strictEqual(doc.assets.length, 11);
        assert.deepStrictEqual(world.changes, []);
    });

    it("fails the state row as unreachable when the home state bucket cannot be read, showing the replica's newest", async () => {
        const world = standardWorld(config, { now: NOW });
        world.failNext(
            "home.objects.newestObject",
            new Error("connect ETIMEDOUT s3.us-east-1.amazonaws.com"),
        );
        const { code, doc } = await statusDocument(world, { workDir: workDir() });
        assert.strictEqual(code, 1);
        const state = row(doc, "state-replica");
        assert.strictEqual(state.verdict, "UNREACHABLE");
        assert.match(state.note, /ETIMEDOUT/);
        assert.match(state.note, /replica's newest is \.pulumi\/stacks\/webank\/(primary|dr)\.json/);
        assert.deepStrictEqual(doc.failing, ["state-replica"]);
        assert.deepStrictEqual(world.changes, []);
    });

    it("still reports the database and the readiness rows when the account id cannot be read", async () => {
        const world = standardWorld(config, { now: NOW });
        world.failNext("identity.accountId", new Error("ExpiredToken"));
        const { code, doc } = await statusDocument(world, { workDir: workDir() });
        assert.strictEqual(code, 1);
        assert.strictEqual(doc.account, null);
        assert.deepStrictEqual(doc.failing, ["argocd-export", "git-bundle", "state-replica"]);
        assert.match(row(doc, "git-bundle").note, /account id could not be read \(ExpiredToken\)/);
        assert.ok(row(doc, "git-bundle").where.includes("<account>"));
        for (const id of ["database-pitr", "dr-stack", "dns-failover", "failover-lock", "projected-rto"]) {
            assert.strictEqual(row(doc, id).verdict, "ok", id);
        }
        assert.deepStrictEqual(world.changes, []);
    });
});

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { drStackConfig, failoverCommand, FailoverCommandOptions } from "../../automation/failover-command";
import { FailoverLockedError } from "../../automation/failover-lock";
import { Journal } from "../../automation/journal";
import { ReplicatedBackups } from "../../automation/ports";

const NOW = new Date("2026-11-25T03:00:00Z");
const BACKUPS: ReplicatedBackups = {
    arn: "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-primary",
    earliest: new Date("2026-11-11T03:00:00Z"),
    latest: new Date("2026-11-25T02:56:00Z"),
};

/** A fake DR region: records every change, with faults to inject. */
class FakeRegion {
    public readonly changes: string[] = [];
    public readonly lines: string[] = [];
    public backups: ReplicatedBackups | undefined = BACKUPS;
    public lockedBy: string | undefined;
    public failUp = false;
    public databaseTimesOut = false;

    public ports() {
        return {
            output: (line: string) => this.lines.push(line),
            stack: {
                getConfig: () => Promise.resolve("pilot"),
                setConfig: (values: Readonly<Record<string, string>>) => {
                    this.changes.push(`config ${JSON.stringify(values)}`);
                    return Promise.resolve();
                },
                refresh: () => {
                    this.changes.push("refresh");
                    return Promise.resolve();
                },
                up: () => {
                    if (this.failUp) {
                        return Promise.reject(new Error("pulumi up failed: throttled by RDS"));
                    }
                    this.changes.push("up");
                    return Promise.resolve({
                        dbEndpoint: "webank-db-dr-1.x.us-west-2.rds.amazonaws.com:5432",
                        clusterName: "webank-dr",
                    });
                },
            },
            database: {
                replicatedBackups: () => Promise.resolve(this.backups),
                waitAvailable: (identifier: string) =>
                    this.databaseTimesOut
                        ? Promise.reject(
                              new Error(
                                  `${identifier} was not available after 90 minutes; check it with aws rds describe-db-instances, then run the failover again to resume`,
                              ),
                          )
                        : Promise.resolve(),
            },
            lock: {
                acquire: (owner: string) => {
                    if (this.lockedBy && this.lockedBy !== owner) {
                        return Promise.reject(
                            new FailoverLockedError({
                                owner: this.lockedBy,
                                since: "2026-11-25T02:59:00Z",
                                by: "other",
                            }),
                        );
                    }
                    this.lockedBy = owner;
                    this.changes.push(`lock ${owner}`);
                    return Promise.resolve();
                },
            },
        };
    }
}

describe("automation/failover", () => {
    let dir: string;
    let region: FakeRegion;
    const config = drStackConfig();
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "failover-"));
        region = new FakeRegion();
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const journalFile = () => path.join(dir, "failover.json");
    const run = (options: Partial<FailoverCommandOptions> = {}, confirm?: (q: string) => Promise<boolean>) =>
        failoverCommand(
            { restoreTime: "latest", dryRun: false, yes: true, journalFile: journalFile(), ...options },
            { ports: region.ports(), config, now: () => NOW, confirm },
        );
    const journaled = () => Journal.open(journalFile(), "failover").steps.map((s) => s.step);

    it("fails over: activates the DR stack with the replicated backups, waits, verifies, journals every step", async () => {
        assert.strictEqual(await run(), 0);
        assert.strictEqual(region.changes[0].startsWith("lock failover-"), true);
        assert.deepStrictEqual(region.changes.slice(1), [
            `config ${JSON.stringify({ "webank:activated": "true", "webank:restore": JSON.stringify({ source: "pitr", time: "latest", automatedBackupsArn: BACKUPS.arn }) })}`,
            "refresh",
            "up",
        ]);
        assert.deepStrictEqual(journaled(), [
            "preflight",
            "lock",
            "activate-config",
            "refresh",
            "up",
            "wait-database",
            "verify",
        ]);
        assert.ok(
            region.lines.some((l) => /projected RPO 4 min \(objective 5\)/.test(l)),
            region.lines.join("\n"),
        );
    });

    it("prints the plan and the projected RPO on --dry-run, and changes nothing", async () => {
        assert.strictEqual(await run({ dryRun: true }), 0);
        assert.deepStrictEqual(region.changes, []);
        assert.ok(!fs.existsSync(journalFile()), "no journal either");
        const text = region.lines.join("\n");
        assert.match(text, /^DRY RUN: failover of webank to us-west-2; nothing will be changed\./);
        assert.match(text, /1\. preflight: /);
        assert.match(text, /projected RPO 4 min/);
    });

    it("stops before any change when no backups are replicated, naming the fallback", async () => {
        region.backups = undefined;
        assert.strictEqual(await run(), 1);
        assert.deepStrictEqual(region.changes, []);
        assert.ok(region.lines.some((l) => /no automated backups are replicated.*recovery-point/.test(l)));
        assert.deepStrictEqual(journaled(), []);
    });

    it("refuses a restore time outside the replicated window, changing nothing", async () => {
        assert.strictEqual(await run({ restoreTime: "2026-10-01T00:00:00Z" }), 1);
        assert.deepStrictEqual(region.changes, []);
        assert.ok(region.lines.some((l) => /outside the restorable window/.test(l)));
    });

    it("refuses a second concurrent failover, changing nothing", async () => {
        region.lockedBy = "failover-other";
        assert.strictEqual(await run(), 1);
        assert.deepStrictEqual(region.changes, []);
        assert.ok(region.lines.some((l) => /another failover holds the lock/.test(l)));
    });

    it("resumes after up fails midway, without repeating completed steps", async () => {
        region.failUp = true;
        assert.strictEqual(await run(), 1);
        assert.deepStrictEqual(journaled(), ["preflight", "lock", "activate-config", "refresh"]);
        const before = region.changes.length;
        region.failUp = false;
        assert.strictEqual(await run(), 0);
        assert.deepStrictEqual(
            region.changes.slice(before),
            ["up"],
            "only up ran again (the lock is re-taken by the same run id)",
        );
        assert.deepStrictEqual(journaled().slice(-3), ["up", "wait-database", "verify"]);
    });

    it("says what to do next when the database waiter times out, and stays resumable", async () => {
        region.databaseTimesOut = true;
        assert.strictEqual(await run(), 1);
        assert.ok(
            region.lines.some((l) => /describe-db-instances, then run the failover again to resume/.test(l)),
        );
        assert.ok(!journaled().includes("wait-database"));
    });

    it("asks before the first change, and refuses to run unattended without --yes", async () => {
        assert.strictEqual(await run({ yes: false }, () => Promise.resolve(false)), 1);
        assert.deepStrictEqual(region.changes, []);
        assert.strictEqual(await run({ yes: false }), 2, "no terminal to ask on");
        assert.deepStrictEqual(region.changes, []);
    });
});

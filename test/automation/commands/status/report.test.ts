import * as assert from "assert";
import { COMMANDS } from "../../../../automation/cli/registry";
import { ParseContext } from "../../../../automation/commands/definition";
import { AssetStatus, StatusReport, Verdict } from "../../../../automation/commands/status/document";
import { statusDefinition } from "../../../../automation/commands/status/definition";
import { reportVerdict } from "../../../../automation/commands/status/report";
import { UsageError } from "../../../../automation/run/refusal";
import { standardWorld } from "../../../../automation/simulation/standard-world";
import { filesUnder, runDefinition } from "../../../support/commands";
import { useTempDir, withTempDir } from "../../../support/temp-dir";
import { BASE, NOW, row, runStatus, statusDocument, WITH_DNS } from "./support";

/** Every row id in report order: the copies, the DR stack, then the readiness conditions. */
const ROW_IDS = [
    "database-pitr",
    "database-recovery-point",
    "volumes-recovery-point",
    "argocd-export",
    "git-bundle",
    "state-replica",
    "dr-stack",
    "dns-failover",
    "failover-lock",
    "failover-journal",
    "projected-rto",
];

describe("status: the report", () => {
    const workDir = useTempDir("status-");

    it("is READY with every row ok on a normal day with DNS failover managed, exit 0, changing and writing nothing", async () => {
        const world = standardWorld(WITH_DNS, { now: NOW });
        const { code, doc } = await statusDocument(world, { workDir: workDir() });
        assert.strictEqual(code, 0, JSON.stringify(doc, null, 2));
        assert.deepStrictEqual(
            doc.assets.map((r) => [r.id, r.verdict]),
            ROW_IDS.map((id) => [id, "ok"]),
        );
        assert.strictEqual(doc.verdict, "ready");
        assert.deepStrictEqual(doc.failing, []);
        assert.deepStrictEqual(doc.drStack, {
            name: "dr",
            reachable: true,
            posture: "pilot",
            activated: false,
        });
        assert.deepStrictEqual(world.changes, []);
        assert.deepStrictEqual(filesUnder(workDir()), []);
    });

    it("renders an aligned table and a READY verdict line in text format", async () => {
        const world = standardWorld(WITH_DNS, { now: NOW, posture: "warm" });
        const { code, output } = await runStatus(world, "text", { workDir: workDir() });
        assert.strictEqual(code, 0, output);
        const lines = output.split("\n");
        const headerAt = lines.findIndex((l) => l.startsWith("ASSET"));
        assert.ok(headerAt > 0, output);
        const header = lines[headerAt];
        const table = lines.slice(headerAt + 1, lines.indexOf("", headerAt));
        assert.strictEqual(table.length, ROW_IDS.length, output);
        const verdictColumn = header.indexOf("VERDICT");
        for (const title of [
            "database PITR",
            "volumes recovery point",
            "Git bundle",
            "state replica",
            "DR stack",
            "DNS failover",
            "failover lock",
            "failover journal",
            "projected RTO",
        ]) {
            const line = table.find((l) => l.startsWith(`${title} `));
            assert.ok(line, `no table line for ${title}:\n${output}`);
            assert.strictEqual(line.slice(verdictColumn).trim(), "ok", line);
        }
        assert.match(output, /DR stack dr: posture warm, not activated/);
        assert.strictEqual(lines[lines.length - 1], "verdict: READY: all 11 checks ok");
        // A passing row shows no check line: only what fails says where to start.
        assert.ok(!output.includes("check:"), output);
        assert.deepStrictEqual(world.changes, []);
        assert.deepStrictEqual(filesUnder(workDir()), []);
    });

    it("prints a stable JSON document, schema v2", async () => {
        const world = standardWorld(WITH_DNS, { now: NOW });
        const { doc } = await statusDocument(world, { workDir: workDir() });
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
        assert.strictEqual(doc.schema, "webank-dr/status/v2");
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
            assert.ok(r.check.length > 0 && r.note.length > 0, r.id);
        }
    });

    // The scheduled run redirects stdout to status.json: a stray line would make it unreadable.
    const worlds: {
        name: string;
        config: typeof WITH_DNS;
        setUp: (world: ReturnType<typeof standardWorld>) => void;
    }[] = [
        { name: "READY", config: WITH_DNS, setUp: () => undefined },
        { name: "NOT MANAGED", config: BASE, setUp: () => undefined },
        {
            name: "NOT READY, every lookup failing",
            config: WITH_DNS,
            setUp: (world) => {
                for (const operation of [
                    "identity.accountId",
                    "dr.database.replicatedBackups",
                    "workspace.selectStack",
                    "traffic.trafficSwitch",
                    "lock.holder",
                ]) {
                    world.failNext(operation, new Error(`${operation} failed\nwith a second line`));
                }
                world.lockHolder = "failover-2026-11-25T02-00-00-000Z";
            },
        },
    ];
    for (const c of worlds) {
        it(`writes one JSON document and nothing else in json format (${c.name})`, async () => {
            const world = standardWorld(c.config, { now: NOW });
            c.setUp(world);
            const { code } = await runStatus(world, "json", { config: c.config, workDir: workDir() });
            assert.strictEqual(world.lines.length, 1, world.lines.join("\n"));
            const doc = JSON.parse(world.lines.join("\n")) as StatusReport;
            assert.strictEqual(doc.schema, "webank-dr/status/v2");
            assert.strictEqual(code, doc.verdict === "ready" ? 0 : 1);
            assert.deepStrictEqual(world.changes, []);
            assert.deepStrictEqual(filesUnder(workDir()), []);
        });
    }
});

describe("status: the verdict of the rows", () => {
    const rowWith = (id: string, verdict: Verdict): AssetStatus => ({
        id,
        title: id,
        assetClass: null,
        where: "-",
        newest: null,
        behindMinutes: null,
        rpoMinutes: null,
        limitMinutes: null,
        verdict,
        note: "-",
        check: "-",
    });
    const cases: { rows: [string, Verdict][]; verdict: string }[] = [
        {
            rows: [
                ["git-bundle", "ok"],
                ["dns-failover", "ok"],
            ],
            verdict: "ready",
        },
        {
            rows: [
                ["git-bundle", "ok"],
                ["dns-failover", "NOT MANAGED"],
            ],
            verdict: "not-managed",
        },
        {
            rows: [
                ["git-bundle", "STALE"],
                ["dns-failover", "NOT MANAGED"],
            ],
            verdict: "not-ready",
        },
        {
            rows: [
                ["git-bundle", "ok"],
                ["dns-failover", "UNREACHABLE"],
            ],
            verdict: "not-ready",
        },
        {
            rows: [
                ["failover-lock", "HELD"],
                ["dns-failover", "ok"],
            ],
            verdict: "not-ready",
        },
        { rows: [["failover-journal", "UNFINISHED"]], verdict: "not-ready" },
        { rows: [["projected-rto", "MISSED"]], verdict: "not-ready" },
    ];
    for (const c of cases) {
        it(`${c.rows.map(([id, v]) => `${id} ${v}`).join(", ")}: ${c.verdict}`, () => {
            assert.strictEqual(reportVerdict(c.rows.map(([id, v]) => rowWith(id, v))), c.verdict);
        });
    }
});

describe("status: the definition", () => {
    const context: ParseContext = { config: WITH_DNS, now: NOW, simulated: true };

    it("is registered, first, with --format text|json, default text", () => {
        assert.strictEqual(COMMANDS[0], statusDefinition);
        assert.deepStrictEqual(statusDefinition.path, ["status"]);
        assert.deepStrictEqual(statusDefinition.options.format.choices, ["text", "json"]);
        assert.strictEqual(statusDefinition.options.format.defaultValue, "text");
    });

    it("parses text, json, and no --format as text", () => {
        assert.deepStrictEqual(statusDefinition.parse({}, context), { format: "text" });
        assert.deepStrictEqual(statusDefinition.parse({ format: "text" }, context), { format: "text" });
        assert.deepStrictEqual(statusDefinition.parse({ format: "json" }, context), { format: "json" });
    });

    for (const value of ["xml", "JSON", "", true]) {
        it(`refuses --format ${JSON.stringify(value)}, naming the flag and the value`, () => {
            assert.throws(
                () => statusDefinition.parse({ format: value }, context),
                (error: unknown) =>
                    error instanceof UsageError &&
                    error.problems.length === 1 &&
                    error.problems[0] === `--format must be one of text, json; got ${JSON.stringify(value)}`,
            );
        });
    }

    it("refuses --format xml before reading or writing anything", () =>
        withTempDir("status-", async (workDir) => {
            const world = standardWorld(WITH_DNS, { now: NOW });
            const code = await runDefinition(
                statusDefinition,
                { format: "xml" },
                { world, config: WITH_DNS, workDir },
            );
            assert.strictEqual(code, 2);
            assert.deepStrictEqual(world.lines, ['error: --format must be one of text, json; got "xml"']);
            assert.deepStrictEqual(world.calls, []);
            assert.deepStrictEqual(filesUnder(workDir), []);
        }));

    it("keeps row ids unique", () =>
        withTempDir("status-", async (workDir) => {
            const { doc } = await statusDocument(standardWorld(WITH_DNS, { now: NOW }), { workDir });
            assert.strictEqual(new Set(doc.assets.map((r) => r.id)).size, doc.assets.length);
            assert.strictEqual(row(doc, "projected-rto").assetClass, null);
        }));
});

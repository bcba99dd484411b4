import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_DEFAULTS, DefaultedKey } from "../../config/defaults";
import { StackConfig, parseStackConfig } from "../../config/stack-config";
import { PROJECT_ROOT } from "../../config/stack-files";
import { TAG_KEYS } from "../../lib/tags";
import { problemsOf, raw, VALID } from "../support/raw-config";
import {
    Declaration,
    readDeclarations,
    readDocumentedFields,
    readmeProblems,
    readReadmeRows,
    tagProblems,
    yamlProblems,
} from "./default-copies";

/*
 * Every config default is written once, in config/defaults.ts (CONFIG_DEFAULTS), and every
 * parser reads it from there. Three places repeat it for readers, and each is checked here
 * against the table, in both directions (a default the table has and the copy lacks or
 * misstates, and a default the copy states that the table does not know):
 *   - Pulumi.yaml: the key's description ends with the sentence `Default: <value>.` and says
 *     "default" nowhere else (text as written, JSON for [] and {});
 *   - README.md "## Configuration": the row's default column begins with the value (code span
 *     for text and JSON, numbers and booleans bare; `3, 3, 6` for a row of three keys);
 *   - the settings field in config/ whose doc comment names `webank:<key>` first carries
 *     `@default <TypeScript literal>`, and no doc comment says "Default X" in prose.
 * And parsing a config without the key yields the table's value.
 *
 * The rule for keys with a `default:` field in Pulumi.yaml (homeRegion, drRegion, rpoMinutes,
 * rtoMinutes, objectives, homeVpcCidr, drVpcCidr): they are project values, not code defaults.
 * Pulumi hands a program the project value whenever the stack sets none, so the program never
 * sees them unset; the code therefore holds no default for them (they are not in the table,
 * and the scalar ones are required: refused when unset), their description states no
 * `Default:` (Pulumi.yaml's own default: field is the one copy), and the README's default
 * column says "(Pulumi.yaml)" (test/docs/readme-configuration.test.ts checks its value).
 * Fields of a JSON key (`webank:drill.scope`) are not keys: their defaults are their parser's
 * exported constants, and the table does not hold them.
 */

const TABLE = CONFIG_DEFAULTS as Readonly<Record<string, (typeof CONFIG_DEFAULTS)[DefaultedKey]>>;

/** The stacks a default is read from: most keys on primary; dr-only keys on dr; the health check path needs DNS. */
interface Parsed {
    readonly primary: StackConfig;
    readonly dr: StackConfig;
    readonly dns: StackConfig;
}

/** Where the parsed config holds each defaulted key's value; typed so that a key added to the table must be added here. */
const PARSED: Record<DefaultedKey, (c: Parsed) => unknown> = {
    prefix: (c) => c.primary.prefix,
    pitrRetentionDays: (c) => c.primary.retention.pitrDays,
    noncurrentVersionRetentionDays: (c) => c.primary.retention.noncurrentVersionDays,
    tags: (c) => {
        const own = new Set<string>(Object.values(TAG_KEYS));
        return Object.fromEntries(Object.entries(c.primary.tags).filter(([k]) => !own.has(k)));
    },
    dbEngineVersion: (c) => c.primary.database.engineVersion,
    dbInstanceClass: (c) => c.primary.database.instanceClass,
    dbName: (c) => c.primary.database.name,
    dbAllocatedStorageGiB: (c) => c.primary.database.allocatedStorageGiB,
    dbBackupWindow: (c) => c.primary.database.backupWindow,
    dbMaintenanceWindow: (c) => c.primary.database.maintenanceWindow,
    replicatedBackupRetentionDays: (c) => c.primary.database.replicatedBackupRetentionDays,
    posture: (c) => c.dr.dr.posture,
    activated: (c) => c.dr.dr.activated,
    primaryStack: (c) => c.dr.dr.primaryStack,
    clusterVersion: (c) => c.primary.platform.cluster.version,
    nodeInstanceType: (c) => c.primary.platform.cluster.nodeInstanceType,
    nodeDesiredSize: (c) => c.primary.platform.cluster.nodes.desired,
    nodeMinSize: (c) => c.primary.platform.cluster.nodes.min,
    nodeMaxSize: (c) => c.primary.platform.cluster.nodes.max,
    warmNodeCount: (c) => c.primary.platform.cluster.warmNodeCount,
    apiPublicAccessCidrs: (c) => c.primary.platform.cluster.apiPublicAccessCidrs,
    clusterAdminRoleArns: (c) => c.primary.platform.cluster.adminRoleArns,
    kubernetesAccess: (c) => c.primary.platform.cluster.kubernetesAccess,
    argocdChartVersion: (c) => c.primary.platform.gitops.chartVersion,
    argocdImageTag: (c) => c.primary.platform.gitops.imageTag,
    argocdHighAvailability: (c) => c.primary.platform.gitops.highAvailability,
    platformRepoUrl: (c) => c.primary.platform.gitops.repoUrl,
    gitSource: (c) => c.primary.platform.gitops.source,
    platformRepoRevision: (c) => c.primary.platform.gitops.revision,
    platformRepoPath: (c) => c.primary.platform.gitops.path,
    githubRepository: (c) => c.primary.platform.mirror.repository,
    healthCheckPath: (c) => c.dns.platform.traffic?.healthCheckPath,
    alertEmails: (c) => c.primary.platform.alertEmails,
    vaultLockMode: (c) => c.primary.backup.vaultLock.mode,
    vaultLockMinRetentionDays: (c) => c.primary.backup.vaultLock.minRetentionDays,
    vaultLockMaxRetentionDays: (c) => c.primary.backup.vaultLock.maxRetentionDays,
    backupLongTermRetentionDays: (c) => c.primary.backup.retention.longTermDays,
    backupColdStorageAfterDays: (c) => c.primary.backup.retention.coldStorageAfterDays,
    backupDrFrequentCopyDays: (c) => c.primary.backup.retention.drFrequentCopyDays,
    configRecorder: (c) => c.primary.backup.configRecorder,
    verifyTables: (c) => c.primary.verification.tables,
    verifyMigrations: (c) => c.primary.verification.migrations,
};

/** A copy of Pulumi.yaml's declarations with one key's declaration changed. */
function withDeclaration(
    declarations: Record<string, Declaration>,
    key: string,
    change: Partial<Declaration>,
): Record<string, Declaration> {
    return { ...declarations, [key]: { ...declarations[key], ...change } };
}

describe("config defaults: written once (config/defaults.ts), repeated alike", () => {
    const declarations = readDeclarations();
    const rows = readReadmeRows(fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8"));
    const fields = readDocumentedFields();

    it("finds the copies it compares (the check can fail)", () => {
        assert.ok(Object.keys(TABLE).length >= 40, `the table holds ${Object.keys(TABLE).length} keys`);
        assert.ok(rows.length >= 60, `${rows.length} README rows`);
        assert.ok(fields.filter((f) => f.defaultTag !== undefined).length >= 40, "too few @default tags");
    });

    it("Pulumi.yaml's descriptions state each default as the table does, and no other", () => {
        assert.deepStrictEqual(yamlProblems(TABLE, declarations), []);
    });

    it("refuses a Pulumi.yaml that misstates a default, lacks one, states one the table lacks, or talks of one in prose", () => {
        const description = (key: string) => declarations[key].description ?? "";
        const cases: [Record<string, Declaration>, RegExp][] = [
            [
                withDeclaration(declarations, "dbInstanceClass", {
                    description: "RDS. Default: db.m5.large.",
                }),
                /db\.m5/,
            ],
            [
                withDeclaration(declarations, "nodeMaxSize", { description: "Maximum nodes." }),
                /must end with/,
            ],
            [
                withDeclaration(declarations, "dnsZoneId", { description: "Zone. Default: Z1." }),
                /does not know/,
            ],
            [
                withDeclaration(declarations, "posture", {
                    description: `pilot (default) ${description("posture")}`,
                }),
                /prose/,
            ],
            [
                withDeclaration(declarations, "homeRegion", { description: "Home. Default: us-east-1." }),
                /beside/,
            ],
        ];
        for (const [broken, problem] of cases) {
            assert.match(yamlProblems(TABLE, broken).join("\n"), problem);
        }
        assert.match(
            yamlProblems({ ...TABLE, homeRegion: "us-east-1" }, declarations).join("\n"),
            /must not default/,
        );
    });

    it("the README's default column shows each default as the table does, and no other", () => {
        assert.deepStrictEqual(readmeProblems(TABLE, declarations, rows), []);
    });

    it("refuses a README row that misstates a default, lacks one, or states one the table lacks", () => {
        const change = (key: string, cell: string) =>
            rows.map((r) => (r.keys.includes(key) ? { ...r, cell } : r));
        assert.match(
            readmeProblems(TABLE, declarations, change("dbInstanceClass", "`db.m5.large`")).join(),
            /db\.m5/,
        );
        assert.match(readmeProblems(TABLE, declarations, change("nodeMaxSize", "3, 3, 8")).join(), /3, 3, 6/);
        assert.match(
            readmeProblems(TABLE, declarations, change("dnsZoneId", "`Z1`")).join(),
            /does not know/,
        );
        assert.match(
            readmeProblems(TABLE, declarations, change("homeRegion", "`us-east-1`")).join(),
            /Pulumi\.yaml/,
        );
        const without = rows.filter((r) => !r.keys.includes("healthCheckPath"));
        assert.match(
            readmeProblems(TABLE, declarations, without).join(),
            /healthCheckPath: in the table but in no README row/,
        );
    });

    it("each defaulted key's settings field carries @default with the table's value, and no comment says it in prose", () => {
        assert.deepStrictEqual(tagProblems(TABLE, fields), []);
    });

    it("refuses a @default that differs, is missing, or is one the table lacks, and a prose default", () => {
        const change = (key: string, defaultTag: string | undefined) =>
            fields.map((f) => (f.key === key && f.defaultTag !== undefined ? { ...f, defaultTag } : f));
        assert.match(tagProblems(TABLE, change("dbInstanceClass", '"db.m5.large"')).join(), /db\.m5/);
        assert.match(
            tagProblems(TABLE, change("nodeMaxSize", undefined)).join(),
            /no field naming webank:nodeMaxSize/,
        );
        const zone = fields.map((f) => (f.key === "dnsZoneId" ? { ...f, defaultTag: '"Z1"' } : f));
        assert.match(tagProblems(TABLE, zone).join(), /does not know/);
        const prose = [...fields, { at: "config/x.ts:1", text: "Instance class. Default `db.r6g.large`." }];
        assert.match(tagProblems(TABLE, prose).join(), /prose/);
    });

    it("parsing a config without the key yields the table's default", () => {
        const unset = Object.keys(TABLE).filter((key) => key in VALID);
        assert.deepStrictEqual(unset, [], "the base config must leave every defaulted key unset");
        const primary = parseStackConfig(raw({}));
        const parsed: Parsed = {
            primary,
            dr: parseStackConfig(raw({ role: "dr" }, "dr")),
            dns: parseStackConfig(
                raw({
                    dnsZoneId: "Z0123456789ABCDEFGHIJ",
                    dnsRecordName: "app.webank.example",
                    primaryEndpoint: "primary-alb.us-east-1.elb.amazonaws.com",
                }),
            ),
        };
        const wrong = Object.entries(PARSED)
            .map(([key, read]) => ({ key, got: read(parsed), want: TABLE[key] }))
            .filter(({ got, want }) => JSON.stringify(got) !== JSON.stringify(want))
            .map(
                ({ key, got, want }) =>
                    `${key}: parsed ${JSON.stringify(got)}, the table ${JSON.stringify(want)}`,
            );
        assert.deepStrictEqual(wrong, []);
        assert.deepStrictEqual(Object.keys(PARSED).sort(), Object.keys(TABLE).sort());
    });

    it("holds no default for a project value: the scalar ones are refused when unset", () => {
        const projectValues = Object.entries(declarations).filter(([, d]) => d.default !== undefined);
        assert.ok(projectValues.length >= 5, `${projectValues.length} project values`);
        // objectives unset means no per-class overrides: the stack-wide pair applies (absence, not a value).
        for (const [key] of projectValues.filter(([key]) => key !== "objectives")) {
            assert.ok(!(key in TABLE), `${key} is in the table`);
            const { fields: refused } = problemsOf({ [key]: undefined });
            assert.ok(
                refused.includes(`webank:${key}`),
                `unset ${key} was not refused: ${refused.join(", ")}`,
            );
        }
    });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are untyped JSON inputs, edited in place by each case */
import * as assert from "assert";
import * as exportPolicies from "../../policies/argocd-export";
import { CronError, worstCaseGapMinutes } from "../../policies/lib/cron";
import { findings, StackResource, UNKNOWN_INPUT, violations } from "./stack-harness";

const CRON = exportPolicies.CRON_JOB;
const RELEASE = "kubernetes:helm.sh/v3:Release";
const exportJob = (change: (props: any) => void = () => undefined, name = "export"): StackResource => {
    const props: any = {
        metadata: { name: "argocd-export", namespace: "argocd" },
        spec: {
            schedule: "*/5 * * * *",
            timeZone: "Etc/UTC",
            concurrencyPolicy: "Forbid",
            suspend: false,
            jobTemplate: {
                spec: {
                    activeDeadlineSeconds: 300,
                    template: {
                        spec: {
                            initContainers: [
                                {
                                    name: "export",
                                    command: ["sh", "-c", "argocd admin export -n argocd > /x"],
                                },
                            ],
                            containers: [
                                { name: "upload", command: ["bash", "-c", "aws s3 cp /x s3://b/k"] },
                            ],
                        },
                    },
                },
            },
        },
    };
    change(props);
    return { type: CRON, name, props };
};
const argocd: StackResource = {
    type: RELEASE,
    name: "argocd",
    props: { name: "argocd", chart: "argo-cd", version: "9.1.0", namespace: "argocd" },
};
const RPO = { gitopsRpoMinutes: 15 };

describe("policies/lib/cron: the worst-case gap of a CronJob schedule", () => {
    const cases: Array<[string, number]> = [
        ["*/5 * * * *", 5],
        ["0 * * * *", 60],
        ["0 */6 * * *", 360],
        ["0 3 * * *", 1440],
        ["0,50 * * * *", 50],
        ["5/20 * * * *", 20],
        ["0 0 * * 1-5", 3 * 1440],
        ["0 0 * * mon", 7 * 1440],
        ["0 0 1 * *", 31 * 1440],
        // Both day fields restricted: the 1st, the 15th or any Monday.
        ["0 0 1,15 * 1", 7 * 1440],
        ["@hourly", 60],
        ["@daily", 1440],
        ["@every 90m", 90],
        ["@every 1h30m", 90],
        // Day of month restricted, weekday "*": both must match, so leap days only.
        ["0 0 29 2 *", (4 * 365 + 1) * 1440],
        ["0 12 * jan,jul mon", 23 * 7 * 1440],
    ];
    for (const [expression, minutes] of cases) {
        it(`${expression}: ${minutes} minutes`, () =>
            assert.strictEqual(worstCaseGapMinutes(expression), minutes));
    }
    it("never runs: 30 February", () => assert.strictEqual(worstCaseGapMinutes("0 0 30 2 *"), Infinity));
    for (const bad of [
        "*/5 * * *",
        "61 * * * *",
        "* * * * 7",
        "*/0 * * * *",
        "TZ=UTC */5 * * * *",
        "@often",
        "x * * * *",
    ]) {
        it(`refuses ${bad}`, () => assert.throws(() => worstCaseGapMinutes(bad), CronError));
    }
});

describe("policies/argocd-export: the Argo CD export CronJob", () => {
    const schedule = exportPolicies.kubernetesCronJobExportSchedule;
    const active = exportPolicies.kubernetesCronJobExportActive;

    it("passes the export the program declares, at the program's RPO", () => {
        assert.deepStrictEqual(findings(schedule, [argocd, exportJob()], RPO), []);
        assert.deepStrictEqual(findings(active, [exportJob()], { stackRole: "primary" }), []);
    });

    const slow: Array<[string, (p: any) => void, RegExp]> = [
        [
            "hourly",
            (p) => (p.spec.schedule = "0 * * * *"),
            /^export: spec.schedule: must export Argo CD's configuration .* 15 minutes old.*"0 \* \* \* \*" allows 65 minutes/,
        ],
        [
            "unparseable",
            (p) => (p.spec.schedule = "every five minutes"),
            /^export: spec.schedule: must be a schedule the CronJob controller runs/,
        ],
        ["never", (p) => (p.spec.schedule = "0 0 30 2 *"), /no bound/],
        ["a zone with daylight saving", (p) => (p.spec.timeZone = "Europe/Paris"), /daylight-saving/],
        [
            "no deadline",
            (p) => delete p.spec.jobTemplate.spec.activeDeadlineSeconds,
            /^export: spec.jobTemplate.spec.activeDeadlineSeconds: must bound each export run/,
        ],
        [
            "a long deadline",
            (p) => (p.spec.jobTemplate.spec.activeDeadlineSeconds = 3600),
            /deadline \(60 min\)/,
        ],
    ];
    for (const [what, change, message] of slow) {
        it(`fails: ${what}`, () => {
            const found = violations(schedule, [argocd, exportJob(change)], RPO);
            assert.strictEqual(found.length, 1, JSON.stringify(found));
            assert.match(found[0], message);
        });
    }

    it("counts the run's deadline: every 10 minutes with a 5-minute deadline is exactly a 15-minute RPO", () => {
        const ten = exportJob((p) => (p.spec.schedule = "*/10 * * * *"));
        assert.deepStrictEqual(violations(schedule, [argocd, ten], RPO), []);
        assert.match(violations(schedule, [argocd, ten], { gitopsRpoMinutes: 14 })[0], /allows 15 minutes/);
    });

    it("reads the RPO from config", () => {
        const hourly = exportJob((p) => (p.spec.schedule = "0 * * * *"));
        assert.deepStrictEqual(violations(schedule, [argocd, hourly], { gitopsRpoMinutes: 65 }), []);
        assert.strictEqual(violations(schedule, [argocd, hourly], { gitopsRpoMinutes: 64 }).length, 1);
    });

    it("fails an Argo CD installation without an export, naming the release and the CronJob type", () => {
        assert.deepStrictEqual(
            violations(schedule, [argocd], RPO).map((v) => v.split(": ").slice(0, 2).join(": ")),
            [`argocd: ${CRON}`],
        );
        const other = {
            ...argocd,
            props: { ...argocd.props, chart: "oci://ghcr.io/argoproj/argo-helm/argo-cd" },
        };
        assert.strictEqual(violations(schedule, [other], RPO).length, 1);
        assert.deepStrictEqual(
            violations(schedule, [{ ...argocd, props: { chart: "ingress-nginx" } }], RPO),
            [],
        );
    });

    it("recognises the export by its command, its name or its namespace", () => {
        const renamed = exportJob((p) => (p.metadata = { name: "config-backup", namespace: "ops" }));
        const byName = exportJob((p) => {
            p.metadata.namespace = "ops";
            p.spec.jobTemplate.spec.template.spec.initContainers = [];
        });
        const byNamespace = exportJob((p) => {
            p.metadata.name = "other";
            p.spec.jobTemplate.spec.template.spec.initContainers = [];
        });
        for (const job of [renamed, byName, byNamespace]) {
            const hourly = {
                ...job,
                props: { ...job.props, spec: { ...(job.props as any).spec, schedule: "0 * * * *" } },
            };
            assert.strictEqual(violations(schedule, [argocd, hourly], RPO).length, 1, job.name);
        }
        const unrelated = exportJob((p) => {
            p.metadata = { name: "report", namespace: "ops" };
            p.spec.jobTemplate.spec.template.spec.initContainers = [];
            p.spec.schedule = "0 0 * * *";
            p.spec.suspend = true;
        });
        assert.deepStrictEqual(violations(schedule, [unrelated], RPO), []);
        assert.deepStrictEqual(violations(active, [unrelated], { stackRole: "primary" }), []);
    });

    it("fails a suspended export on primary, and a suspended job template everywhere", () => {
        const suspended = exportJob((p) => (p.spec.suspend = true));
        assert.match(
            violations(active, [suspended], { stackRole: "primary" })[0],
            /^export: spec.suspend: must not be true/,
        );
        assert.deepStrictEqual(violations(active, [suspended], { stackRole: "dr" }), []);
        const template = exportJob((p) => (p.spec.jobTemplate.spec.suspend = true));
        for (const stackRole of ["primary", "dr"]) {
            assert.match(
                violations(active, [template], { stackRole })[0],
                /spec.jobTemplate.spec.suspend: must not be true/,
            );
        }
        const patch: StackResource = {
            type: "kubernetes:batch/v1:CronJobPatch",
            name: "patch",
            props: { metadata: { name: "argocd-export", namespace: "argocd" }, spec: { suspend: true } },
        };
        assert.strictEqual(violations(active, [patch], { stackRole: "primary" }).length, 1);
        assert.deepStrictEqual(violations(schedule, [argocd, exportJob(), patch], RPO), []);
        const slowPatch = { ...patch, props: { ...patch.props, spec: { schedule: "0 */2 * * *" } } };
        assert.strictEqual(violations(schedule, [argocd, exportJob(), slowPatch], RPO).length, 1);
    });

    it("in a preview: judges a literal schedule while the upload command is unknown, notes an unknown schedule", () => {
        const preview = exportJob((p) => {
            p.spec.jobTemplate.spec.template.spec.containers[0].command[2] = UNKNOWN_INPUT;
            p.metadata.namespace = UNKNOWN_INPUT;
            p.spec.schedule = "0 * * * *";
        });
        const found = findings(schedule, [argocd, preview], RPO);
        assert.deepStrictEqual(
            found.map((f) => f.level),
            ["mandatory"],
        );
        const unknown = exportJob((p) => {
            p.spec.schedule = UNKNOWN_INPUT;
            p.spec.jobTemplate.spec.suspend = true;
        });
        const noted = findings(schedule, [argocd, unknown], RPO);
        assert.deepStrictEqual(
            noted.map((f) => f.level),
            ["advisory"],
        );
        assert.match(noted[0].message, /spec.schedule/);
        const activeFindings = findings(active, [exportJob((p) => (p.spec.suspend = UNKNOWN_INPUT))], {
            stackRole: "primary",
        });
        assert.deepStrictEqual(
            activeFindings.map((f) => f.level),
            ["advisory"],
        );
    });
});

describe("policies/argocd-export: every policy", () => {
    for (const policy of [
        exportPolicies.kubernetesCronJobExportSchedule,
        exportPolicies.kubernetesCronJobExportActive,
    ]) {
        it(`${policy.name} is mandatory, named kubernetes-cronjob-<check>, described as a check`, () => {
            assert.strictEqual(policy.enforcementLevel, "mandatory");
            assert.match(policy.name, /^kubernetes-cronjob(-[a-z0-9]+)+$/);
            assert.match(policy.description, /^Checks whether /);
        });
    }
});

import * as assert from "assert";
import { Policy } from "@pulumi/policy";
import * as assurance from "../../policies/backup-assurance";
import * as audit from "../../policies/backup-audit";
import * as coverage from "../../policies/backup-coverage";
import { changed, CONFIG, DR, primaryStack, replaced, without, Props } from "./backup-fixture";
import { findings, StackResource, UNKNOWN_INPUT, violations } from "./stack-harness";

const run = (policy: Policy, stack: StackResource[], config: Record<string, unknown> = CONFIG) =>
    violations(policy, stack, config);
const advisories = (policy: Policy, stack: StackResource[]) =>
    findings(policy, stack, CONFIG).filter((f) => f.level === "advisory");
const only = (found: string[], pattern: RegExp) => {
    assert.strictEqual(found.length, 1, found.join("\n"));
    assert.match(found[0], pattern);
};
const SELECTION = "aws:backup/selection:Selection";

describe(`policies: ${coverage.backupStatefulResourcesCovered.name}`, () => {
    const policy = coverage.backupStatefulResourcesCovered;
    const selection = (change: (r: StackResource) => StackResource) =>
        replaced(primaryStack(), "sel-database", change);
    it("passes every store selected, the replica bucket exempt", () =>
        assert.deepStrictEqual(run(policy, primaryStack()), []));
    it("fails a store no selection selects, on the store", () => {
        only(
            run(policy, without(primaryStack(), "sel-database")),
            /^db: aws:backup\/selection:Selection: this Instance must be selected .* no selection selects it\.$/,
        );
        only(run(policy, without(primaryStack(), "sel-bucket")), /^bucket: /);
    });
    it("fails a selection switched to notResources, or excluding the store", () => {
        const switched = selection((r) => ({
            ...r,
            props: { ...r.props, notResources: r.props?.resources, resources: undefined },
            inputsFrom: { planId: ["plan-database"], notResources: ["db"] },
        }));
        only(run(policy, switched), /selection sel-database excludes it in notResources/);
        const excluding = changed(
            primaryStack(),
            "sel-database",
            (p) => (p.notResources = ["arn:aws:rds:*:*:db:webank-*"]),
        );
        only(run(policy, excluding), /excludes it in notResources/);
    });
    it("does not count dependsOn, another region, unmet tag conditions or a selection of no plan", () => {
        const dependsOnOnly = selection((r) => ({
            ...r,
            props: { ...r.props, resources: ["arn:aws:rds:us-east-1:1:db:other"] },
            inputsFrom: { planId: ["plan-database"] },
            dependsOn: ["db"],
        }));
        only(run(policy, dependsOnOnly), /no selection selects it/);
        only(
            run(
                policy,
                selection((r) => ({ ...r, region: DR })),
            ),
            /is in us-west-2, not the resource's region/,
        );
        const tagged = changed(
            primaryStack(),
            "sel-database",
            (p) => (p.conditions = [{ stringEquals: [{ key: "aws:ResourceTag/backup", value: "yes" }] }]),
        );
        only(run(policy, tagged), /has tag conditions it does not satisfy/);
        only(
            run(
                policy,
                selection((r) => ({ ...r, inputsFrom: { resources: ["db"] } })),
            ),
            /belongs to no backup plan/,
        );
    });
    it("counts a selection by meaning: an ARN pattern, a wildcard, tags the store carries", () => {
        const pattern = selection((r) => ({
            ...r,
            props: { ...r.props, resources: ["arn:aws:rds:us-east-1:*:db:webank-*"] },
            inputsFrom: { planId: ["plan-database"] },
        }));
        assert.deepStrictEqual(run(policy, pattern), []);
        const tagged = changed(
            changed(primaryStack(), "db", (p) => (p.tags = { "webank:backup": "true" })),
            "sel-database",
            (p) =>
                (p.conditions = [
                    { stringEquals: [{ key: "aws:ResourceTag/webank:backup", value: "true" }] },
                ]),
        );
        assert.deepStrictEqual(run(policy, tagged), []);
    });
    it("exempts a replica only as a replication's destination, never a source", () => {
        const sourceAsDestination = replaced(without(primaryStack(), "sel-bucket"), "replication", (r) => ({
            ...r,
            inputsFrom: { bucket: ["bucket"], rules: ["replica", "bucket"] },
        }));
        only(run(policy, sourceAsDestination), /^bucket: /);
    });
    it("covers a StorageClass's volumes by the tag it puts on them", () => {
        only(
            run(
                policy,
                changed(primaryStack(), "gp3", (p) => delete p.parameters.tagSpecification_1),
            ),
            /^gp3: aws:backup\/selection:Selection: the EBS volumes/,
        );
        only(
            run(
                policy,
                changed(
                    primaryStack(),
                    "sel-volumes",
                    (p) => (p.conditions[0].stringEquals[0].value = "false"),
                ),
            ),
            /^gp3: /,
        );
        only(
            run(
                policy,
                changed(primaryStack(), "sel-volumes", (p) => (p.resources = ["arn:aws:rds:*:*:db:*"])),
            ),
            /^gp3: /,
        );
    });
    it("exempts a dr stack's read replica, not a primary's database", () => {
        const replica = changed(
            without(primaryStack(), "sel-database"),
            "db",
            (p) => (p.replicateSourceDb = "arn:aws:rds:us-east-1:1:db:webank-db"),
        );
        assert.deepStrictEqual(run(policy, replica, { ...CONFIG, stackRole: "dr" }), []);
        only(run(policy, replica), /^db: /);
    });
    it("accepts resources computed from the store in a preview, and notes an unknown selection", () => {
        const computed = changed(primaryStack(), "sel-database", (p) => (p.resources = [UNKNOWN_INPUT]));
        assert.deepStrictEqual(findings(policy, computed, CONFIG), []);
        const unknown = replaced(
            changed(primaryStack(), "sel-database", (p) => (p.resources = UNKNOWN_INPUT)),
            "sel-database",
            (r) => ({
                ...r,
                inputsFrom: { planId: ["plan-database"] },
            }),
        );
        assert.deepStrictEqual(run(policy, unknown), []);
        assert.match(advisories(policy, unknown)[0].message, new RegExp(`db ${SELECTION}`));
    });
});

describe(`policies: ${coverage.backupDatabaseRpoDelivered.name}`, () => {
    const policy = coverage.backupDatabaseRpoDelivered;
    it("passes a database in a continuous plan", () =>
        assert.deepStrictEqual(run(policy, primaryStack()), []));
    it("fails continuous backup off, on the database", () =>
        only(
            run(
                policy,
                changed(primaryStack(), "plan-database", (p) => (p.rules[0].enableContinuousBackup = false)),
            ),
            /^db: aws:backup\/plan:Plan: must deliver an RPO of at most 5 minutes for RDS .* deliver 60 minutes/,
        ));
    it("fails a database moved into the volumes plan, or in no plan", () => {
        only(
            run(
                policy,
                replaced(primaryStack(), "sel-database", (r) => ({
                    ...r,
                    inputsFrom: { planId: ["plan-volumes"], resources: ["db"] },
                })),
            ),
            /plan-volumes rule/,
        );
        only(run(policy, without(primaryStack(), "sel-database")), /no plan of this stack covers it/);
    });
    it("passes a slower database RPO with hourly snapshots", () => {
        const snapshots = changed(
            primaryStack(),
            "plan-database",
            (p) => (p.rules[0].enableContinuousBackup = false),
        );
        assert.deepStrictEqual(
            run(policy, snapshots, { ...CONFIG, backupRpoMinutes: { ...CONFIG.backupRpoMinutes, rds: 60 } }),
            [],
        );
    });
    it("notes an unknown continuous setting in a preview", () => {
        const stack = changed(
            primaryStack(),
            "plan-database",
            (p) => (p.rules[0].enableContinuousBackup = UNKNOWN_INPUT),
        );
        assert.deepStrictEqual(run(policy, stack), []);
        assert.match(advisories(policy, stack)[0].message, /db aws:backup\/plan:Plan/);
    });
});

describe(`policies: ${assurance.backupRestoreTestingWeekly.name}`, () => {
    const policy = assurance.backupRestoreTestingWeekly;
    const plan = (change: (p: Props) => void) => changed(primaryStack(), "restore-testing", change);
    it("passes weekly tests of the newest points of the database and the volumes", () => {
        assert.deepStrictEqual(run(policy, primaryStack()), []);
        assert.deepStrictEqual(
            run(
                policy,
                plan((p) => (p.scheduleExpression = "rate(7 days)")),
            ),
            [],
        );
    });
    it("fails tests less often than weekly, on the plan", () => {
        only(
            run(
                policy,
                plan((p) => (p.scheduleExpression = "cron(0 5 1 * ? *)")),
            ),
            /^restore-testing: scheduleExpression: must run at least weekly .* up to 744 hours apart/,
        );
        only(
            run(
                policy,
                plan((p) => (p.scheduleExpression = "rate(30 days)")),
            ),
            /at least weekly/,
        );
    });
    it("fails a random point, or another vault", () => {
        only(
            run(
                policy,
                plan((p) => (p.recoveryPointSelection.algorithm = "RANDOM_WITHIN_WINDOW")),
            ),
            /algorithm: must be "LATEST_WITHIN_WINDOW"/,
        );
        const other = replaced(
            plan(
                (p) =>
                    (p.recoveryPointSelection.includeVaults = [
                        "arn:aws:backup:us-east-1:1:backup-vault:Default",
                    ]),
            ),
            "restore-testing",
            (r) => ({ ...r, inputsFrom: {} }),
        );
        only(run(policy, other), /includeVaults: must include the vault/);
    });
    it("fails a database or volumes without a restore testing selection, on them", () => {
        only(
            run(policy, without(primaryStack(), "restore-rds")),
            /^db: aws:backup\/restoreTestingSelection:RestoreTestingSelection: must be declared/,
        );
        only(
            run(
                policy,
                changed(
                    primaryStack(),
                    "restore-ebs",
                    (p) => (p.protectedResourceConditions.stringEquals[0].value = "false"),
                ),
            ),
            /^gp3: aws:backup\/restoreTestingSelection/,
        );
    });
    it("asks nothing of a dr stack", () =>
        assert.deepStrictEqual(
            run(policy, without(primaryStack(), "restore-rds"), { ...CONFIG, stackRole: "dr" }),
            [],
        ));
});

describe(`policies: ${audit.backupAuditFrameworkControls.name}`, () => {
    const policy = audit.backupAuditFrameworkControls;
    const control = (name: string, change: (c: Props) => void) =>
        changed(primaryStack(), "framework", (p) =>
            p.controls.filter((c: { name: string }) => c.name === name).forEach(change),
        );
    const parameter = (name: string, parameterName: string, value: string) =>
        control(
            name,
            (c) => (c.inputParameters.find((x: { name: string }) => x.name === parameterName).value = value),
        );
    it("passes the framework the program declares", () =>
        assert.deepStrictEqual(run(policy, primaryStack()), []));
    it("fails a stack with plans and no framework, on a plan", () =>
        only(
            run(policy, without(primaryStack(), "framework")),
            /^plan-database: aws:backup\/framework:Framework: must be audited/,
        ));
    it("fails each control removed", () => {
        for (const name of Object.keys(audit.FRAMEWORK_CONTROLS)) {
            const stack = changed(
                primaryStack(),
                "framework",
                (p) => (p.controls = p.controls.filter((c: { name: string }) => c.name !== name)),
            );
            only(run(policy, stack), new RegExp(`^framework: controls: must include ${name}`));
        }
    });
    it("fails parameters weaker than the stack's objectives", () => {
        only(
            run(
                policy,
                parameter(
                    "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
                    "requiredFrequencyValue",
                    "24",
                ),
            ),
            /must be at most 60; it is 1440/,
        );
        only(
            run(
                policy,
                parameter("BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", "requiredRetentionDays", "7"),
            ),
            /requiredRetentionDays must be at least 35/,
        );
        only(
            run(
                policy,
                parameter("BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", "crossRegionList", "us-east-1"),
            ),
            /crossRegionList must include the region .* \(us-west-2\)/,
        );
        only(
            run(
                policy,
                parameter("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK", "minRetentionDays", "1"),
            ),
            /minRetentionDays must be at least 7/,
        );
        only(
            run(policy, parameter("BACKUP_LAST_RECOVERY_POINT_CREATED", "recoveryPointAgeValue", "48")),
            /at most 120; it is 2880/,
        );
    });
    it("fails a scope that leaves out a kind the stack backs up", () =>
        only(
            run(
                policy,
                control(
                    "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
                    (c) => (c.scope = { complianceResourceTypes: ["EBS", "S3"] }),
                ),
            ),
            /^framework: controls\[4\]: .*\(it leaves out RDS\)/,
        ));
    it("notes unknown controls in a preview; asks nothing of a dr stack", () => {
        assert.match(
            advisories(
                policy,
                changed(primaryStack(), "framework", (p) => (p.controls = UNKNOWN_INPUT)),
            )[0].message,
            /framework controls/,
        );
        assert.deepStrictEqual(
            run(policy, without(primaryStack(), "framework"), { ...CONFIG, stackRole: "dr" }),
            [],
        );
    });
});

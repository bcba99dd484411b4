import * as assert from "assert";
import { refusedBeforeDeclaring } from "../support/rejection";
import { objectivesOf } from "../support/objectives";
import {
    auditControls,
    backupNameOf,
    BackupAssuranceArgs,
    Control,
    PLAN_FREQUENCIES_HOURS,
} from "../../components/backup-assurance";
import { OfflineRun, OfflineRunError } from "../../offline/engine";
import {
    ARGS,
    AUDIT,
    COMPONENT,
    DATABASE_ARN,
    DB_SUBNET_GROUP,
    declareAssurance,
    PLAN,
    SELECTION,
    VPC_ID,
} from "../support/backup-assurance";
import { inputsOf, named, ofType } from "../support/offline";

const FRAMEWORK = "aws:backup/framework:Framework";
const REPORT_PLAN = "aws:backup/reportPlan:ReportPlan";

/** The nine controls of the framework. */
const CONTROL_NAMES = [
    "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
    "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
    "BACKUP_RECOVERY_POINT_ENCRYPTED",
    "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
    "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
    "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
    "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
    "BACKUP_LAST_RECOVERY_POINT_CREATED",
    "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
];

/** Controls that evaluate protected resources, and so are scoped to the protected types. */
const RESOURCE_CONTROLS = [
    "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
    "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
    "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
    "BACKUP_LAST_RECOVERY_POINT_CREATED",
    "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
];

/** The control named `name`; fails the test unless there is exactly one. */
function controlNamed(controls: readonly Control[], name: string): Control {
    const matches = controls.filter((control) => control.name === name);
    assert.strictEqual(matches.length, 1, `${name}: ${matches.length} controls`);
    return matches[0];
}

/** The parameters of a control as a name → value map. */
function parametersOf(control: Control): Record<string, string> {
    return Object.fromEntries((control.inputParameters ?? []).map((p) => [p.name, p.value]));
}

describe("components/backup-assurance: BackupAssurance", () => {
    describe("auditControls", () => {
        it("has the nine controls, each exactly once", () => {
            const names = auditControls(AUDIT).map((control) => control.name);
            assert.strictEqual(names.length, 9);
            assert.deepStrictEqual([...names].sort(), [...CONTROL_NAMES].sort());
        });

        it("checks the plan's frequency in hours and its retention", () => {
            const control = controlNamed(
                auditControls(AUDIT),
                "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
            );
            assert.deepStrictEqual(parametersOf(control), {
                requiredFrequencyUnit: "hours",
                requiredFrequencyValue: "1",
                requiredRetentionDays: "35",
            });
            assert.strictEqual(control.scope, undefined);
        });

        for (const hours of PLAN_FREQUENCIES_HOURS) {
            it(`with backups every ${hours} h, requires a backup at least every ${hours} h and a recovery point younger than ${2 * hours} h`, () => {
                const controls = auditControls({ ...AUDIT, planFrequencyHours: hours });
                assert.strictEqual(
                    parametersOf(controlNamed(controls, "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK"))
                        .requiredFrequencyValue,
                    String(hours),
                );
                assert.deepStrictEqual(
                    parametersOf(controlNamed(controls, "BACKUP_LAST_RECOVERY_POINT_CREATED")),
                    { recoveryPointAgeUnit: "hours", recoveryPointAgeValue: String(2 * hours) },
                );
            });
        }

        it("requires every recovery point to be kept the retention period", () => {
            const controls = auditControls({ ...AUDIT, retentionDays: 90 });
            assert.deepStrictEqual(
                parametersOf(controlNamed(controls, "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK")),
                { requiredRetentionDays: "90" },
            );
            assert.strictEqual(
                parametersOf(controlNamed(controls, "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK"))
                    .requiredRetentionDays,
                "90",
            );
        });

        it("requires copies in the DR region", () => {
            const controls = auditControls({ ...AUDIT, drRegion: "eu-central-1" });
            assert.deepStrictEqual(
                parametersOf(controlNamed(controls, "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION")),
                { crossRegionList: "eu-central-1" },
            );
        });

        it("requires vaults locked with the configured retention bounds", () => {
            const controls = auditControls({
                ...AUDIT,
                vaultLock: { minRetentionDays: 14, maxRetentionDays: 2555 },
            });
            assert.deepStrictEqual(
                parametersOf(controlNamed(controls, "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK")),
                { minRetentionDays: "14", maxRetentionDays: "2555" },
            );
        });

        for (const [database, volumes, others, expected] of [
            [60, 240, 1440, "60"],
            [240, 30, 1440, "30"],
            [45, 45, 1440, "45"],
            // Other asset classes do not count: restores of databases and volumes are what AWS Backup times.
            [120, 180, 5, "120"],
        ] as const) {
            it(`limits restores to ${expected} minutes for database RTO ${database} and volume RTO ${volumes}`, () => {
                const objectives = objectivesOf(
                    { rpoMinutes: 60, rtoMinutes: others },
                    {
                        database: { rpoMinutes: 5, rtoMinutes: database },
                        volumes: { rpoMinutes: 60, rtoMinutes: volumes },
                    },
                );
                const control = controlNamed(
                    auditControls({ ...AUDIT, objectives }),
                    "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
                );
                assert.deepStrictEqual(parametersOf(control), { maxRestoreTime: expected });
            });
        }

        it("scopes the controls that evaluate resources to RDS, EBS, DynamoDB and S3, and no other", () => {
            for (const control of auditControls(AUDIT)) {
                if (RESOURCE_CONTROLS.includes(control.name)) {
                    assert.deepStrictEqual(
                        control.scope,
                        { complianceResourceTypes: ["RDS", "EBS", "DynamoDB", "S3"] },
                        control.name,
                    );
                } else {
                    assert.strictEqual(control.scope, undefined, control.name);
                }
            }
        });

        it("passes every parameter as a string, and no control has an empty parameter list", () => {
            for (const control of auditControls(AUDIT)) {
                assert.notDeepStrictEqual(control.inputParameters, [], control.name);
                for (const parameter of control.inputParameters ?? []) {
                    assert.strictEqual(typeof parameter.value, "string", `${control.name}.${parameter.name}`);
                }
            }
            for (const name of [
                "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
                "BACKUP_RECOVERY_POINT_ENCRYPTED",
                "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
            ]) {
                assert.strictEqual(controlNamed(auditControls(AUDIT), name).inputParameters, undefined, name);
            }
        });
    });

    it("derives AWS Backup names by replacing hyphens with underscores", () => {
        assert.strictEqual(backupNameOf("webank-primary-assurance"), "webank_primary_assurance");
        assert.strictEqual(backupNameOf("assurance"), "assurance");
    });

    describe("with default settings", () => {
        let run: OfflineRun;
        before(async () => {
            run = await declareAssurance();
        });

        it("audits with a framework that carries exactly the nine derived controls", () => {
            const framework = inputsOf(named(run, FRAMEWORK, "webank-assurance-framework"));
            assert.strictEqual(framework.name, "webank_assurance");
            // A JSON round trip drops the absent parameters and scopes, as the engine does.
            assert.deepStrictEqual(framework.controls, JSON.parse(JSON.stringify(auditControls(AUDIT))));
            assert.strictEqual(ofType(run, FRAMEWORK).length, 1);
            assert.match(String(run.outputs.frameworkArn), /^arn:aws:backup:us-east-1:/);
        });

        it("reports control compliance for the framework, and every backup job, as CSV and JSON to the report bucket", () => {
            const compliance = inputsOf(named(run, REPORT_PLAN, "webank-assurance-compliance-report"));
            const jobs = inputsOf(named(run, REPORT_PLAN, "webank-assurance-jobs-report"));
            for (const plan of [compliance, jobs]) {
                assert.deepStrictEqual(plan.reportDeliveryChannel, {
                    s3BucketName: ARGS.reportBucketName,
                    s3KeyPrefix: "backup-reports",
                    formats: ["CSV", "JSON"],
                });
            }
            assert.deepStrictEqual(compliance.reportSetting, {
                reportTemplate: "CONTROL_COMPLIANCE_REPORT",
                frameworkArns: [run.outputs.frameworkArn],
            });
            assert.deepStrictEqual(jobs.reportSetting, { reportTemplate: "BACKUP_JOB_REPORT" });
            assert.strictEqual(ofType(run, REPORT_PLAN).length, 2);
            assert.deepStrictEqual(run.outputs.reportPlanNames, [
                "webank_assurance_control_compliance",
                "webank_assurance_backup_jobs",
            ]);
        });

        it("declares every child under the component, in the home region", () => {
            const component = named(run, COMPONENT, "webank-assurance");
            const children = run.resources.filter((r) => r.type.startsWith("aws:backup/"));
            assert.strictEqual(children.length, 6);
            for (const child of children) {
                assert.strictEqual(child.parent, component.urn, child.name);
                assert.strictEqual(child.region, "us-east-1", child.name);
            }
        });
    });

    it("takes a custom schedule, test instance class and report prefix", async () => {
        const run = await declareAssurance({
            restoreTestSchedule: "rate(3 days)",
            testDbInstanceClass: "db.m7g.large",
            reportKeyPrefix: "audit/backup/",
            databaseArns: [DATABASE_ARN, "arn:aws:rds:us-east-1:123456789012:db:webank-ledger"],
        });
        assert.strictEqual(
            inputsOf(named(run, PLAN, "webank-assurance-restore-testing")).scheduleExpression,
            "rate(3 days)",
        );
        const rds = inputsOf(named(run, SELECTION, "webank-assurance-rds"));
        assert.strictEqual(rds.restoreMetadataOverrides.dbInstanceClass, "db.m7g.large");
        assert.strictEqual(rds.protectedResourceArns.length, 2);
        for (const plan of ofType(run, REPORT_PLAN)) {
            assert.strictEqual(inputsOf(plan).reportDeliveryChannel.s3KeyPrefix, "audit/backup");
        }
    });

    it("derives the controls of the framework from the arguments", async () => {
        const run = await declareAssurance({
            planFrequencyHours: 24,
            retentionDays: 7,
            drRegion: "eu-west-1",
        });
        const controls = inputsOf(named(run, FRAMEWORK, "webank-assurance-framework")).controls as Control[];
        assert.strictEqual(
            parametersOf(controlNamed(controls, "BACKUP_LAST_RECOVERY_POINT_CREATED")).recoveryPointAgeValue,
            "48",
        );
        assert.strictEqual(
            parametersOf(controlNamed(controls, "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK"))
                .requiredRetentionDays,
            "7",
        );
        assert.strictEqual(
            parametersOf(controlNamed(controls, "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION"))
                .crossRegionList,
            "eu-west-1",
        );
    });

    describe("argument validation", () => {
        const cases: Array<[string, Partial<BackupAssuranceArgs>, string, string]> = [
            ["planFrequencyHours", { planFrequencyHours: 5 }, "be one of 1, 2, 3, 4, 6, 8, 12, 24", "5"],
            ["planFrequencyHours", { planFrequencyHours: 48 }, "be one of 1, 2, 3, 4, 6, 8, 12, 24", "48"],
            ["planFrequencyHours", { planFrequencyHours: 0 }, "be one of 1, 2, 3, 4, 6, 8, 12, 24", "0"],
            ["retentionDays", { retentionDays: 0 }, "be a whole number of days, at least 1", "0"],
            ["retentionDays", { retentionDays: 2.5 }, "be a whole number of days, at least 1", "2.5"],
            ["drRegion", { drRegion: "mars-1" }, "be an AWS region name", '"mars-1"'],
            ["drRegion", { drRegion: "US-WEST-2" }, "be an AWS region name", '"US-WEST-2"'],
            [
                "vaultLock",
                { vaultLock: { minRetentionDays: 30, maxRetentionDays: 7 } },
                "have minRetentionDays <= maxRetentionDays",
                '{"minRetentionDays":30,"maxRetentionDays":7}',
            ],
            [
                "vaultLock.minRetentionDays",
                { vaultLock: { minRetentionDays: 0, maxRetentionDays: 7 } },
                "be a whole number from 1 to 36500",
                "0",
            ],
            [
                "vaultLock.maxRetentionDays",
                { vaultLock: { minRetentionDays: 7, maxRetentionDays: 7.5 } },
                "be a whole number from 1 to 36500",
                "7.5",
            ],
            ["databaseArns.length", { databaseArns: [] }, "be from 1 to 30", "0"],
            [
                "databaseArns.length",
                { databaseArns: Array.from({ length: 31 }, (_, i) => `${DATABASE_ARN}-${i}`) },
                "be from 1 to 30",
                "31",
            ],
            [
                "restoreTestSchedule",
                { restoreTestSchedule: "weekly" },
                "be a schedule expression",
                '"weekly"',
            ],
            [
                "testDbInstanceClass",
                { testDbInstanceClass: "t4g.medium" },
                "be an RDS instance class",
                '"t4g.medium"',
            ],
            ["reportKeyPrefix", { reportKeyPrefix: "/reports" }, "be an S3 key prefix", '"/reports"'],
            ["reportKeyPrefix", { reportKeyPrefix: "my reports/" }, "be an S3 key prefix", '"my reports/"'],
            [
                "restoreTestNetwork.vpcId",
                { restoreTestNetwork: { vpcId: "", dbSubnetGroupName: DB_SUBNET_GROUP } },
                "be the id of the tested databases' VPC",
                '""',
            ],
            [
                "restoreTestNetwork.dbSubnetGroupName",
                { restoreTestNetwork: { vpcId: VPC_ID, dbSubnetGroupName: "" } },
                "be the name of the tested databases' DB subnet group",
                '""',
            ],
        ];
        for (const [field, overrides, requirement, received] of cases) {
            it(`refuses ${field} ${received} before declaring any child, naming the argument and the value`, async () => {
                await assert.rejects(
                    () => declareAssurance(overrides),
                    refusedBeforeDeclaring(
                        `BackupAssurance(webank-assurance).${field}`,
                        requirement,
                        received,
                        (r) => r.type.startsWith("aws:backup/"),
                    ),
                );
            });
        }

        for (const name of ["1-assurance", "webank.assurance", `a${"b".repeat(46)}`]) {
            it(`refuses the component name ${JSON.stringify(name)}, which cannot name restore tests`, async () => {
                await assert.rejects(
                    () => declareAssurance({}, name),
                    (error: unknown) =>
                        error instanceof OfflineRunError &&
                        error.message.includes(
                            `BackupAssurance(${name}).name must be a letter, then at most 45 letters, digits, hyphens and underscores`,
                        ) &&
                        error.message.endsWith(`; got ${JSON.stringify(name)}`),
                );
            });
        }

        it("refuses a missing restore test network, which would let AWS Backup restore into the default VPC", async () => {
            await assert.rejects(
                () => declareAssurance({ restoreTestNetwork: undefined }),
                (error: unknown) =>
                    error instanceof OfflineRunError &&
                    /2 problems/.test(error.message) &&
                    error.message.includes(
                        "BackupAssurance(webank-assurance).restoreTestNetwork.vpcId must be the id of the tested databases' VPC",
                    ) &&
                    error.message.includes(
                        "BackupAssurance(webank-assurance).restoreTestNetwork.dbSubnetGroupName must be the name of the tested databases' DB subnet group",
                    ) &&
                    error.resources.every((r) => !r.type.startsWith("aws:")),
            );
        });

        it("reports every problem at once", async () => {
            await assert.rejects(
                () => declareAssurance({ planFrequencyHours: 5, retentionDays: 0, drRegion: "nowhere" }),
                (error: unknown) =>
                    error instanceof OfflineRunError &&
                    /3 problems/.test(error.message) &&
                    /\.planFrequencyHours must/.test(error.message) &&
                    /\.retentionDays must/.test(error.message) &&
                    /\.drRegion must/.test(error.message),
            );
        });
    });
});

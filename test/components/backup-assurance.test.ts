import * as assert from "assert";
import { runComponent } from "../support/component";
import { refusedBeforeDeclaring } from "../support/rejection";
import { objectivesOf } from "../support/objectives";
import {
    auditControls,
    AuditParameters,
    BackupAssurance,
    BackupAssuranceArgs,
    backupNameOf,
    checkRestoreMetadataKeys,
    Control,
    PLAN_FREQUENCIES_HOURS,
    RDS_OVERRIDABLE_RESTORE_METADATA,
} from "../../components/backup-assurance";
import { formatProblem, InvalidInputError, ProblemCollector } from "../../lib/errors";
import { OfflineRun, OfflineRunError } from "../../offline/engine";
import { inputsOf, named, ofType, runStack } from "../support/offline";

const PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan";
const SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";
const FRAMEWORK = "aws:backup/framework:Framework";
const REPORT_PLAN = "aws:backup/reportPlan:ReportPlan";
const COMPONENT = "webank:backup:BackupAssurance";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";

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

const OBJECTIVES = objectivesOf(
    { rpoMinutes: 60, rtoMinutes: 240 },
    { database: { rpoMinutes: 5, rtoMinutes: 60 }, volumes: { rpoMinutes: 60, rtoMinutes: 240 } },
);

const AUDIT: AuditParameters = {
    objectives: OBJECTIVES,
    planFrequencyHours: 1,
    retentionDays: 35,
    drRegion: "us-west-2",
    vaultLock: { minRetentionDays: 7, maxRetentionDays: 365 },
};

const HOME_VAULT_ARN = "arn:aws:backup:us-east-1:123456789012:backup-vault:webank-home";
const DATABASE_ARN = "arn:aws:rds:us-east-1:123456789012:db:webank-db";
const RESTORE_ROLE_ARN = "arn:aws:iam::123456789012:role/webank-restore-testing";
// EC2 API reference, Vpc.VpcId: vpc- and 17 hex digits. RDS CreateDBSubnetGroup: the
// provider's autoname, <logical name>-<7 random characters>, lower-case as RDS stores it.
const VPC_ID = "vpc-0123456789abcdef0";
const DB_SUBNET_GROUP = "webank-db-subnets-3f9c2a1";

const ARGS: BackupAssuranceArgs = {
    ...AUDIT,
    homeVaultArn: HOME_VAULT_ARN,
    databaseArns: [DATABASE_ARN],
    restoreRoleArn: RESTORE_ROLE_ARN,
    restoreTestNetwork: { vpcId: VPC_ID, dbSubnetGroupName: DB_SUBNET_GROUP },
    reportBucketName: "webank-reports-123456789012-us-east-1",
};

/** Declares one BackupAssurance named `name` (home provider) and returns the run. */
async function declareAssurance(
    overrides: Partial<BackupAssuranceArgs> = {},
    name = "webank-assurance",
): Promise<OfflineRun> {
    return runComponent((provider) => {
        const assurance = new BackupAssurance(name, { ...ARGS, ...overrides }, { provider });
        return {
            frameworkArn: assurance.frameworkArn,
            restoreTestingPlanName: assurance.restoreTestingPlanName,
            reportPlanNames: assurance.reportPlanNames,
            restoreTestSecurityGroupId: assurance.restoreTestSecurityGroup.id,
        };
    });
}

/** The problems `overrides` has as RDS restore metadata, formatted as the error prints them. */
function keyProblems(overrides: Record<string, unknown>): string[] {
    const problems = new ProblemCollector();
    checkRestoreMetadataKeys(problems, "S.restoreMetadataOverrides", overrides);
    try {
        problems.throwIfAny("test");
        return [];
    } catch (error) {
        assert.ok(error instanceof InvalidInputError);
        return error.problems.map(formatProblem);
    }
}

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

        it("tests restores weekly from the home vault: newest snapshot or continuous point of the last 7 days, 8 h to start", () => {
            const plan = inputsOf(named(run, PLAN, "webank-assurance-restore-testing"));
            assert.strictEqual(plan.name, "webank_assurance");
            assert.strictEqual(plan.scheduleExpression, "cron(0 5 ? * SUN *)");
            assert.strictEqual(plan.startWindowHours, 8);
            assert.deepStrictEqual(plan.recoveryPointSelection, {
                algorithm: "LATEST_WITHIN_WINDOW",
                includeVaults: [HOME_VAULT_ARN],
                recoveryPointTypes: ["CONTINUOUS", "SNAPSHOT"],
                selectionWindowDays: 7,
            });
            assert.strictEqual(ofType(run, PLAN).length, 1);
            assert.strictEqual(run.outputs.restoreTestingPlanName, "webank_assurance");
        });

        it("restores the listed databases as small private instances in the database's subnets, behind the restore-test security group, kept 2 hours for validation", () => {
            const selection = inputsOf(named(run, SELECTION, "webank-assurance-rds"));
            assert.strictEqual(selection.name, "webank_assurance_rds");
            assert.strictEqual(selection.restoreTestingPlanName, "webank_assurance");
            assert.strictEqual(selection.protectedResourceType, "RDS");
            assert.deepStrictEqual(selection.protectedResourceArns, [DATABASE_ARN]);
            assert.strictEqual(selection.protectedResourceConditions, undefined);
            assert.deepStrictEqual(selection.restoreMetadataOverrides, {
                dbInstanceClass: "db.t4g.medium",
                publiclyAccessible: "false",
                dbSubnetGroupName: DB_SUBNET_GROUP,
                vpcSecurityGroupIds: JSON.stringify([run.outputs.restoreTestSecurityGroupId]),
            });
            assert.strictEqual(selection.validationWindowHours, 2);
            assert.strictEqual(selection.iamRoleArn, RESTORE_ROLE_ARN);
        });

        it("places restored databases in the tested databases' DB subnet group, not the default VPC's", () => {
            const overrides = inputsOf(
                named(run, SELECTION, "webank-assurance-rds"),
            ).restoreMetadataOverrides;
            assert.strictEqual(overrides.dbSubnetGroupName, DB_SUBNET_GROUP);
        });

        it("guards restored databases with one security group of the app VPC, as the JSON array AWS Backup reads", () => {
            const overrides = inputsOf(
                named(run, SELECTION, "webank-assurance-rds"),
            ).restoreMetadataOverrides;
            assert.strictEqual(typeof run.outputs.restoreTestSecurityGroupId, "string");
            assert.deepStrictEqual(JSON.parse(overrides.vpcSecurityGroupIds), [
                run.outputs.restoreTestSecurityGroupId,
            ]);
            const group = named(run, SECURITY_GROUP, "webank-assurance-restore-test-sg");
            assert.strictEqual(inputsOf(group).vpcId, VPC_ID);
            assert.strictEqual(group.region, "us-east-1");
            assert.strictEqual(group.parent, named(run, COMPONENT, "webank-assurance").urn);
            assert.ok(named(run, SELECTION, "webank-assurance-rds").dependencies.includes(group.urn));
        });

        it("lets nothing reach a restored database and nothing leave it: the group has no rules", () => {
            const inputs = inputsOf(named(run, SECURITY_GROUP, "webank-assurance-restore-test-sg"));
            // Both managed and empty: the provider removes AWS's default allow-all egress rule,
            // and a rule added by hand is removed on the next up.
            assert.deepStrictEqual(inputs.ingress, []);
            assert.deepStrictEqual(inputs.egress, []);
            assert.strictEqual(ofType(run, SECURITY_GROUP).length, 1);
        });

        it("overrides only restore metadata keys AWS Backup documents for RDS instances", () => {
            const overrides = inputsOf(
                named(run, SELECTION, "webank-assurance-rds"),
            ).restoreMetadataOverrides;
            for (const key of Object.keys(overrides)) {
                assert.ok(RDS_OVERRIDABLE_RESTORE_METADATA.includes(key), key);
            }
            assert.deepStrictEqual(keyProblems(overrides), []);
        });

        it("restores every EBS volume that carries the backup tag", () => {
            const selection = inputsOf(named(run, SELECTION, "webank-assurance-ebs"));
            assert.strictEqual(selection.name, "webank_assurance_ebs");
            assert.strictEqual(selection.restoreTestingPlanName, "webank_assurance");
            assert.strictEqual(selection.protectedResourceType, "EBS");
            assert.deepStrictEqual(selection.protectedResourceArns, ["*"]);
            assert.deepStrictEqual(selection.protectedResourceConditions, {
                stringEquals: [{ key: "aws:ResourceTag/webank:backup", value: "true" }],
            });
            assert.strictEqual(selection.iamRoleArn, RESTORE_ROLE_ARN);
            assert.strictEqual(ofType(run, SELECTION).length, 2);
        });

        it("declares the selections after their plan", () => {
            const plan = named(run, PLAN, "webank-assurance-restore-testing");
            for (const selection of ofType(run, SELECTION)) {
                assert.ok(selection.dependencies.includes(plan.urn), selection.name);
            }
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

    describe("the documented RDS instance restore metadata", () => {
        it('is the overridable list of AWS Backup\'s "Restore testing inferred metadata" for Amazon RDS instances', () => {
            assert.deepStrictEqual(
                [...RDS_OVERRIDABLE_RESTORE_METADATA],
                [
                    "allocatedStorage",
                    "availabilityZones",
                    "dbInstanceClass",
                    "dbName",
                    "dbParameterGroupName",
                    "dbSubnetGroupName",
                    "domain",
                    "domainIamRoleName",
                    "enableCloudwatchLogsExports",
                    "enableIamDatabaseAuthentication",
                    "iops",
                    "licensemodel",
                    "multiAz",
                    "optionGroupName",
                    "port",
                    "processorFeatures",
                    "publiclyAccessible",
                    "storageType",
                    "vpcSecurityGroupIds",
                ],
            );
        });

        // Typos, an Aurora-cluster key, EC2's spelling of the same settings, the API's casing.
        for (const key of [
            "dbSubnetGroup",
            "vpcSecurityGroupId",
            "subnetGroupName",
            "securityGroupIds",
            "subnetId",
            "dbClusterParameterGroupName",
            "DBSubnetGroupName",
        ]) {
            it(`refuses the key ${key}, naming it`, () => {
                assert.deepStrictEqual(keyProblems({ dbInstanceClass: "db.t4g.medium", [key]: "x" }), [
                    `S.restoreMetadataOverrides.${key} must be a restore metadata key AWS Backup documents for Amazon RDS instances (one of ${RDS_OVERRIDABLE_RESTORE_METADATA.join(", ")}); got "x"`,
                ]);
            });
        }
    });

    describe("in the primary stack", () => {
        let run: OfflineRun;
        before(async () => {
            run = await runStack("primary");
        });

        it("restores test databases into the database's own subnet group", () => {
            const [selection] = ofType(run, SELECTION).filter(
                (s) => inputsOf(s).protectedResourceType === "RDS",
            );
            const [subnetGroup] = ofType(run, "aws:rds/subnetGroup:SubnetGroup").filter(
                (g) => g.region === "us-east-1",
            );
            assert.ok(
                selection.dependencies.includes(subnetGroup.urn),
                "the overrides do not read the database's subnet group",
            );
            const [instance] = ofType(run, "aws:rds/instance:Instance");
            // Offline the provider's autonamed subnet group name is not computed; both read the same output.
            assert.strictEqual(
                inputsOf(selection).restoreMetadataOverrides.dbSubnetGroupName,
                inputsOf(instance).dbSubnetGroupName,
            );
        });

        it("guards them with a security group of the database's VPC that admits nothing", () => {
            const [selection] = ofType(run, SELECTION).filter(
                (s) => inputsOf(s).protectedResourceType === "RDS",
            );
            const groups = ofType(run, SECURITY_GROUP).filter((g) => g.region === "us-east-1");
            const restoreGroup = groups.filter((g) => selection.dependencies.includes(g.urn));
            assert.strictEqual(restoreGroup.length, 1);
            const databaseGroup = groups.filter((g) => inputsOf(g).description?.startsWith("PostgreSQL"));
            assert.strictEqual(databaseGroup.length, 1);
            assert.strictEqual(inputsOf(restoreGroup[0]).vpcId, inputsOf(databaseGroup[0]).vpcId);
            assert.deepStrictEqual(inputsOf(restoreGroup[0]).ingress, []);
            const overrides = inputsOf(selection).restoreMetadataOverrides;
            assert.strictEqual(JSON.parse(overrides.vpcSecurityGroupIds).length, 1);
            for (const key of Object.keys(overrides)) {
                assert.ok(RDS_OVERRIDABLE_RESTORE_METADATA.includes(key), key);
            }
        });
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

import * as assert from "assert";
import {
    checkRestoreMetadataKeys,
    RDS_OVERRIDABLE_RESTORE_METADATA,
} from "../../components/backup-assurance";
import { formatProblem, InvalidInputError, ProblemCollector } from "../../lib/errors";
import { OfflineRun } from "../../offline/engine";
import {
    COMPONENT,
    DATABASE_ARN,
    DB_SUBNET_GROUP,
    declareAssurance,
    HOME_VAULT_ARN,
    PLAN,
    RESTORE_ROLE_ARN,
    SELECTION,
    VPC_ID,
} from "../support/backup-assurance";
import { inputsOf, named, ofType, runStack } from "../support/offline";

const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";

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

describe("components/backup-assurance: restore testing", () => {
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
});

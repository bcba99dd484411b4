import * as assert from "assert";
import { ReplicaDatabase } from "../../components/database-replica";
import { DatabaseSettings } from "../../config/database";
import { runComponent } from "../support/component";
import { refusedBeforeDeclaring } from "../support/rejection";

const SETTINGS: DatabaseSettings = {
    engineVersion: "16",
    name: "webank",
    majorVersion: 16,
    instanceClass: "db.r6g.large",
    allocatedStorageGiB: 100,
    backupRetentionDays: 35,
    backupWindow: "03:00-03:30",
    maintenanceWindow: "sun:04:00-sun:05:00",
    replicatedBackupRetentionDays: 14,
};
const SOURCE = "arn:aws:rds:us-east-1:123456789012:db:webank-db";
const KEY = "arn:aws:kms:us-west-2:123456789012:key/mrk-0123456789abcdef0123456789abcdef";

/** Declares a replica with `change` applied to valid arguments. */
const replica = (change: Partial<ConstructorParameters<typeof ReplicaDatabase>[1]>) =>
    runComponent((provider) => {
        new ReplicaDatabase(
            "replica",
            {
                identifier: "webank-db-replica",
                settings: SETTINGS,
                vpcId: "vpc-0123456789abcdef0",
                vpcCidr: "10.20.0.0/16",
                privateSubnetIds: ["subnet-0123456789abcdef0"],
                kmsKeyArn: KEY,
                sourceArn: SOURCE,
                ...change,
            },
            { providers: [provider] },
        );
        return {};
    });

describe("components/database-replica: ReplicaDatabase refuses what RDS would", () => {
    it("declares a valid replica", async () => {
        const run = await replica({});
        assert.strictEqual(run.resources.filter((r) => r.type === "aws:rds/instance:Instance").length, 1);
    });

    it("refuses a source named by identifier: a cross-Region replica names its source by ARN", async () => {
        await assert.rejects(
            replica({ sourceArn: "webank-db" }),
            refusedBeforeDeclaring(
                "ReplicaDatabase(replica).sourceArn",
                "be the source DB instance's ARN",
                '"webank-db"',
                (r) => r.type.startsWith("aws:rds"),
            ),
        );
    });

    it("refuses an ARN of something other than a DB instance", async () => {
        await assert.rejects(
            replica({ sourceArn: "arn:aws:rds:us-east-1:123456789012:snapshot:webank-db-final" }),
            refusedBeforeDeclaring(
                "ReplicaDatabase(replica).sourceArn",
                "be the source DB instance's ARN",
                '"arn:aws:rds:us-east-1:123456789012:snapshot:webank-db-final"',
                (r) => r.type.startsWith("aws:rds"),
            ),
        );
    });

    it("refuses a PostgreSQL major version whose replicas keep no automated backups", async () => {
        await assert.rejects(
            replica({ settings: { ...SETTINGS, engineVersion: "13", majorVersion: 13 } }),
            refusedBeforeDeclaring(
                "ReplicaDatabase(replica).settings.majorVersion",
                "be at least 14",
                "13",
                (r) => r.type.startsWith("aws:rds"),
            ),
        );
    });

    it("refuses an identifier RDS would refuse", async () => {
        await assert.rejects(
            replica({ identifier: "Webank--replica" }),
            refusedBeforeDeclaring(
                "ReplicaDatabase(replica).identifier",
                "be 1–63 lowercase letters",
                '"Webank--replica"',
                (r) => r.type.startsWith("aws:rds"),
            ),
        );
    });

    it("refuses a missing network field when it has no shared placement to stand in for it", async () => {
        for (const field of ["vpcId", "vpcCidr", "privateSubnetIds"] as const) {
            await assert.rejects(
                replica({ [field]: undefined }),
                refusedBeforeDeclaring(
                    `ReplicaDatabase(replica).${field}`,
                    "be set when no sharedPlacement is given",
                    "nothing (the key is not set)",
                    (r) => r.type.startsWith("aws:"),
                ),
                field,
            );
        }
    });
});

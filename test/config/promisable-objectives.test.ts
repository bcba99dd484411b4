import * as assert from "assert";
import { parseStackConfig } from "../../config/stack-config";
import { itRejects, raw, RejectionCase } from "../support/raw-config";
import { objectivesOf } from "../support/objectives";

/*
 * Objectives the DR posture and AWS Backup can keep: the database RPO each posture can promise
 * (lib/delivered-rpo.ts) and the volumes RPO an hourly snapshot plus its copy's delivery allows
 * (lib/backup-windows.ts), on dr by its own posture and on primary by the dr stack file's.
 */

/** Objectives with the database RPO set to `minutes` (volumes and the cluster at their least). */
const database = (minutes: number) =>
    JSON.stringify({
        cluster: { rpoMinutes: 300 },
        database: { rpoMinutes: minutes },
        volumes: { rpoMinutes: 300 },
    });

/** What primary's loader passes: dr's objectives (equal to these) and its file's posture. */
const drFile = (minutes: number, posture: string) => ({
    counterpart: {
        stack: "dr",
        file: "Pulumi.dr.yaml",
        objectives: objectivesOf(
            { rpoMinutes: 15, rtoMinutes: 240 },
            {
                database: { rpoMinutes: minutes, rtoMinutes: 240 },
                volumes: { rpoMinutes: 300, rtoMinutes: 240 },
                cluster: { rpoMinutes: 300, rtoMinutes: 240 },
            },
        ),
        drStackPosture: posture,
    },
});

describe("config: objectives the posture and AWS Backup can keep", () => {
    it("accepts a database RPO of 30 in the pilot and warm postures, and of 5 in hot", () => {
        for (const posture of ["pilot", "warm"]) {
            const config = parseStackConfig(raw({ role: "dr", posture, objectives: database(30) }, "dr"));
            assert.strictEqual(config.objectives.database.rpoMinutes, 30);
        }
        // 5, not the replica's 1: the AWS Backup rules derived from the same objective cannot
        // give RDS less than continuous backup's 5 minutes (lib/backup-rules.ts).
        const hot = parseStackConfig(raw({ role: "dr", posture: "hot", objectives: database(5) }, "dr"));
        assert.strictEqual(hot.objectives.database.rpoMinutes, 5);
    });

    it("judges primary by the dr stack file's posture, and not at all without one", () => {
        const hot = parseStackConfig(raw({ objectives: database(5) }, "primary", drFile(5, "hot")));
        assert.strictEqual(hot.objectives.database.rpoMinutes, 5);
        // No dr file here (a primary alone): nothing says what the DR region keeps.
        assert.strictEqual(
            parseStackConfig(raw({ objectives: database(5) })).objectives.database.rpoMinutes,
            5,
        );
    });

    it("accepts a volumes RPO of 300, an hourly snapshot plus 240 minutes of delivery, and takes a longer period above", () => {
        const least = parseStackConfig(raw({ objectives: database(30) }));
        assert.deepStrictEqual(
            least.backup.rules.volumes.map((r) => r.periodHours),
            [1, 24],
        );
        const longer = parseStackConfig(
            raw({
                objectives: JSON.stringify({
                    cluster: { rpoMinutes: 300 },
                    database: { rpoMinutes: 30 },
                    volumes: { rpoMinutes: 480 },
                }),
            }),
        );
        assert.deepStrictEqual(
            longer.backup.rules.volumes.map((r) => r.periodHours),
            [4, 24],
        );
    });

    const cases: RejectionCase[] = [
        {
            title: "a database RPO of 29 on a pilot-light dr stack",
            values: { role: "dr", objectives: database(29) },
            stack: "dr",
            field: "webank:objectives.database.rpoMinutes",
            mentions: "only the hot posture (a cross-Region read replica) promises less; got 29",
        },
        {
            title: "a database RPO of 5 on a warm dr stack",
            values: { role: "dr", posture: "warm", objectives: database(5) },
            stack: "dr",
            field: "webank:objectives.database.rpoMinutes",
            mentions: "at least 30 in the warm posture",
        },
        {
            // The replica's lag could promise 1, but the same objective covers the database's
            // own loss, which only a point-in-time restore brings back (5 minutes at best).
            title: "a database RPO of 4 on a hot dr stack",
            values: { role: "dr", posture: "hot", objectives: database(4) },
            stack: "dr",
            field: "webank:objectives.database.rpoMinutes",
            mentions: "be at least 5 in the hot posture",
        },
        {
            title: "a database RPO of 1 on primary when Pulumi.dr.yaml keeps a hot standby",
            values: { objectives: database(1) },
            fromFiles: drFile(1, "hot"),
            field: "webank:objectives.database.rpoMinutes",
            mentions: "the database's own loss",
        },
        {
            title: "a database RPO of 10 on primary when Pulumi.dr.yaml keeps a warm standby",
            values: { objectives: database(10) },
            fromFiles: drFile(10, "warm"),
            field: "webank:objectives.database.rpoMinutes",
            mentions: "(webank:posture in Pulumi.dr.yaml)",
        },
        {
            title: "a stack-wide RPO of 15 reaching the database of a pilot light",
            values: {
                role: "dr",
                objectives: '{"cluster": {"rpoMinutes": 300}, "volumes": {"rpoMinutes": 300}}',
            },
            stack: "dr",
            field: "webank:rpoMinutes",
            mentions: "at least 30 in the pilot posture",
        },
        {
            title: "a volumes RPO of 299, a minute short of an hourly snapshot and its delivery",
            values: {
                objectives: JSON.stringify({
                    cluster: { rpoMinutes: 300 },
                    database: { rpoMinutes: 30 },
                    volumes: { rpoMinutes: 299 },
                }),
            },
            field: "webank:objectives.volumes.rpoMinutes",
            mentions: "must be at least 300 minutes",
        },
        {
            title: "a cluster RPO of 299: EKS in AWS Backup has snapshots only, hourly at best, plus the copy's delivery",
            values: {
                objectives: JSON.stringify({
                    cluster: { rpoMinutes: 299 },
                    database: { rpoMinutes: 30 },
                    volumes: { rpoMinutes: 300 },
                }),
            },
            field: "webank:objectives.cluster.rpoMinutes",
            mentions: "cannot be met for EKS",
        },
        {
            title: "a stack-wide RPO of 15 reaching the cluster, which no override lifts",
            values: {
                objectives: JSON.stringify({ database: { rpoMinutes: 30 }, volumes: { rpoMinutes: 300 } }),
            },
            field: "webank:rpoMinutes",
            mentions: "set webank:objectives.cluster.rpoMinutes to 300 or more",
        },
        {
            title: "a volumes RPO of 60, the snapshot period with no room for the copy",
            values: {
                objectives: JSON.stringify({ database: { rpoMinutes: 30 }, volumes: { rpoMinutes: 60 } }),
            },
            field: "webank:objectives.volumes.rpoMinutes",
            mentions: "up to 240 minutes after its scheduled time",
        },
    ];
    itRejects(cases);
});

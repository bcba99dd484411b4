import * as assert from "assert";
import { counterpartObjectives, stackConfigFromFiles } from "../../config/stack-files";
import { configRefused, fileRefused } from "../support/rejection";
import { NOW } from "../support/raw-config";
import { projectCopy, removeProjectCopies, withConfig, withProjectDefault } from "./project-copy";

describe("stackConfigFromFiles: the one loader of the recovery CLI and the offline tools", () => {
    after(removeProjectCopies);

    it("loads the committed primary and dr stacks, with equal objectives", () => {
        const primary = stackConfigFromFiles("primary", { now: NOW });
        const dr = stackConfigFromFiles("dr", { now: NOW });
        assert.deepStrictEqual([primary.role, dr.role], ["primary", "dr"]);
        assert.deepStrictEqual(dr.objectives, primary.objectives);
        assert.deepStrictEqual(dr.objectives.volumes, { rpoMinutes: 300, rtoMinutes: 240 });
    });

    it("refuses role primary in Pulumi.dr.yaml, which would plan a second primary", () => {
        const root = projectCopy({ "Pulumi.dr.yaml": withConfig({ "webank:role": "primary" }) });
        assert.throws(
            () => stackConfigFromFiles("dr", { root }),
            configRefused("webank:role", /^webank:role must be dr on the stack named dr .*; got "primary"$/),
        );
    });

    it("refuses a DR region the AWS SDK does not list, on both stacks", () => {
        const root = projectCopy({ "Pulumi.yaml": withProjectDefault("drRegion", "us-east-9") });
        for (const stack of ["primary", "dr"]) {
            assert.throws(
                () => stackConfigFromFiles(stack, { root }),
                configRefused("webank:drRegion", /partition data lists.*; got "us-east-9"$/),
            );
        }
    });

    it("refuses a GovCloud home region with a commercial DR region", () => {
        const root = projectCopy({ "Pulumi.yaml": withProjectDefault("homeRegion", "us-gov-east-1") });
        assert.throws(
            () => stackConfigFromFiles("primary", { root }),
            configRefused("webank:drRegion", /partition aws-us-gov.*not in partition aws; got "us-west-2"$/),
        );
    });

    it("accepts the README's objectives example on one stack: merged, it equals the default", () => {
        const root = projectCopy({
            "Pulumi.dr.yaml": withConfig({ "webank:objectives": '{"database":{"rpoMinutes":30}}' }),
        });
        const dr = stackConfigFromFiles("dr", { root });
        assert.deepStrictEqual(dr.objectives.volumes, { rpoMinutes: 300, rtoMinutes: 240 });
        assert.deepStrictEqual(dr.objectives.database, { rpoMinutes: 30, rtoMinutes: 60 });
        assert.deepStrictEqual(stackConfigFromFiles("primary", { root }).objectives, dr.objectives);
    });

    it("accepts a change of objectives made on both stacks", () => {
        const change = withConfig({ "webank:objectives": '{"database":{"rtoMinutes":30}}' });
        const root = projectCopy({ "Pulumi.primary.yaml": change, "Pulumi.dr.yaml": change });
        for (const stack of ["primary", "dr"]) {
            const config = stackConfigFromFiles(stack, { root });
            assert.deepStrictEqual(config.objectives.database, { rpoMinutes: 30, rtoMinutes: 30 });
            assert.deepStrictEqual(config.objectives.volumes, { rpoMinutes: 300, rtoMinutes: 240 });
        }
    });

    it("refuses a database RPO changed on primary alone, loading either stack, naming both values", () => {
        const root = projectCopy({
            "Pulumi.primary.yaml": withConfig({ "webank:objectives": '{"database":{"rpoMinutes":40}}' }),
        });
        assert.throws(
            () => stackConfigFromFiles("primary", { root }),
            configRefused(
                "webank:objectives.database.rpoMinutes",
                /must equal the dr stack's objectives in Pulumi\.dr\.yaml \(there: database RPO 30 minutes\).*; got 40$/,
            ),
        );
        assert.throws(
            () => stackConfigFromFiles("dr", { root }),
            configRefused(
                "webank:objectives.database.rpoMinutes",
                /must equal the primary stack's objectives in Pulumi\.primary\.yaml \(there: database RPO 40 minutes\).*; got 30$/,
            ),
        );
    });

    it("refuses a stack-wide RPO changed on dr alone, loading either stack", () => {
        const root = projectCopy({ "Pulumi.dr.yaml": withConfig({ "webank:rpoMinutes": 30 }) });
        assert.throws(
            () => stackConfigFromFiles("dr", { root }),
            configRefused(
                "webank:rpoMinutes",
                /\(there: gitops RPO 15, charts RPO 15, source RPO 15 minutes\).*; got 30$/,
            ),
        );
        assert.throws(
            () => stackConfigFromFiles("primary", { root }),
            configRefused("webank:rpoMinutes", /in Pulumi\.dr\.yaml \(there: gitops RPO 30, .*; got 15$/),
        );
    });

    it("does not compare when the other stack has no file here", () => {
        const root = projectCopy({
            "Pulumi.dr.yaml": null,
            "Pulumi.primary.yaml": withConfig({ "webank:rpoMinutes": 30 }),
        });
        assert.strictEqual(stackConfigFromFiles("primary", { root }).objectives.gitops.rpoMinutes, 30);
    });

    it("compares a drill stack with primary", () => {
        const drill = "dr-drill-d2611250300";
        const root = projectCopy({
            [`Pulumi.${drill}.yaml`]: withConfig({ "webank:rtoMinutes": 120 }),
        });
        assert.strictEqual(counterpartObjectives(drill, root)?.stack, "primary");
        assert.throws(
            () => stackConfigFromFiles(drill, { root }),
            configRefused(
                "webank:rtoMinutes",
                /the primary stack's objectives in Pulumi\.primary\.yaml.*; got 120$/,
            ),
        );
        assert.strictEqual(counterpartObjectives("sandbox", root), undefined);
    });

    it("refuses when the other stack's objectives are invalid, naming that file", () => {
        const root = projectCopy({ "Pulumi.dr.yaml": withConfig({ "webank:rpoMinutes": "soon" }) });
        assert.throws(
            () => stackConfigFromFiles("primary", { root }),
            fileRefused(
                "Pulumi.dr.yaml",
                undefined,
                /the dr stack's objectives are invalid, so primary's cannot be checked against them .*webank:rpoMinutes must be a whole number from 1 to 525600; got "soon"$/,
            ),
        );
    });
});

import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "../../config/load";
import { readStackConfig } from "../../config/stack-files";
import { configRefused } from "../support/rejection";
import { projectCopy, removeProjectCopies, withConfig } from "./project-copy";

/**
 * Hands the program `config` for `stack` the way the Pulumi CLI does: the stack's own values,
 * with Pulumi.yaml's defaults only for keys the stack does not set.
 */
async function asTheCliWould(stack: string, config: Record<string, string>): Promise<void> {
    pulumi.runtime.setAllConfig(config, []);
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
            call: (args) => args.inputs,
        },
        "webank",
        stack,
        false,
    );
}

/** The committed config of `stack` (defaults overlaid), with `values` changed. */
function committed(stack: string, values: Record<string, string> = {}): Record<string, string> {
    return { ...readStackConfig(stack).config, ...values };
}

describe("loadStackConfig: the program's loader", () => {
    after(removeProjectCopies);

    it("merges the README's objectives example over Pulumi.yaml's default, though Pulumi passes only the stack's value", async () => {
        // Pulumi passes the stack's value in place of the default: without reading Pulumi.yaml,
        // volumes would fall back to the stack-wide 15 minutes, which EBS snapshots cannot meet.
        await asTheCliWould(
            "primary",
            committed("primary", { "webank:objectives": '{"database":{"rpoMinutes":30}}' }),
        );
        const config = loadStackConfig();
        assert.deepStrictEqual(config.objectives.volumes, { rpoMinutes: 300, rtoMinutes: 240 });
        assert.deepStrictEqual(config.objectives.database, { rpoMinutes: 30, rtoMinutes: 60 });
    });

    it("refuses role primary on the stack named dr, before anything is declared", async () => {
        await asTheCliWould("dr", committed("dr", { "webank:role": "primary" }));
        assert.throws(
            () => loadStackConfig(),
            configRefused("webank:role", /must be dr on the stack named dr/),
        );
    });

    it("refuses primary objectives that differ from Pulumi.dr.yaml's", async () => {
        await asTheCliWould("primary", committed("primary", { "webank:rtoMinutes": "120" }));
        assert.throws(
            () => loadStackConfig(),
            configRefused("webank:rtoMinutes", /the dr stack's objectives in Pulumi\.dr\.yaml.*; got 120$/),
        );
    });

    it("compares a drill stack, which has no stack file, with primary", async () => {
        const drill = {
            ...committed("dr"),
            "webank:drill": '{"id": "d2611250300"}',
            "webank:activated": "true",
            "webank:restore": '{"source": "pitr", "time": "latest"}',
        };
        await asTheCliWould("dr-drill-d2611250300", drill);
        assert.strictEqual(loadStackConfig().role, "dr");
        const root = projectCopy({ "Pulumi.primary.yaml": withConfig({ "webank:rpoMinutes": 30 }) });
        assert.throws(
            () => loadStackConfig({ root }),
            configRefused(
                "webank:rpoMinutes",
                /the primary stack's objectives in Pulumi\.primary\.yaml \(there: gitops RPO 30.*; got 15$/,
            ),
        );
    });
});

import * as assert from "assert";
import { parseStackConfig } from "../../config/stack-config";
import { itRejects, raw, RejectionCase } from "../support/raw-config";

describe("config: webank:configRecorder", () => {
    it("creates the recorder by default, so the audit framework is active on a fresh account", () => {
        assert.strictEqual(parseStackConfig(raw({})).backup.configRecorder, "create");
    });

    it("takes existing where the account already records the types (Control Tower, an organization setup)", () => {
        const config = parseStackConfig(raw({ configRecorder: "existing" }));
        assert.strictEqual(config.backup.configRecorder, "existing");
    });

    const cases: RejectionCase[] = [
        {
            title: "a recorder mode that is neither create nor existing",
            values: { configRecorder: "none" },
            field: "webank:configRecorder",
            mentions: 'be one of create, existing; got "none"',
        },
        {
            title: "a recorder mode in the wrong case",
            values: { configRecorder: "Existing" },
            field: "webank:configRecorder",
            mentions: '"Existing"',
        },
        {
            title: "a misspelt recorder mode",
            values: { configRecorder: "exisiting" },
            field: "webank:configRecorder",
            mentions: '"exisiting"',
        },
        {
            title: "a typo of the recorder key",
            values: { configRecoder: "existing" },
            field: "webank:configRecoder",
            mentions: "did you mean webank:configRecorder?",
        },
    ];
    itRejects(cases);
});

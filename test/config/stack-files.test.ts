import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, CONFIG_NAMESPACE } from "../../config/keys";
import {
    listStacks,
    PROJECT_ROOT,
    readProjectFile,
    readStackConfig,
    StackFileError,
    stackConfigFromFiles,
} from "../../config/stack-files";
import { fileRefused } from "../support/rejection";
import { projectCopy, removeProjectCopies } from "./project-copy";

describe("Pulumi project and stack files", () => {
    const project = readProjectFile();

    it("name the project webank, so config keys are webank:*", () => {
        assert.strictEqual(project.name, CONFIG_NAMESPACE);
    });

    it("declare exactly the keys config/keys.ts lists, each with its type and a description", () => {
        const declared = Object.keys(project.config).filter((k) => !k.includes(":"));
        assert.deepStrictEqual(declared.sort(), Object.keys(CONFIG_KEYS).sort());
        for (const [key, type] of Object.entries(CONFIG_KEYS)) {
            assert.strictEqual(project.config[key].type, type, `Pulumi.yaml type of ${key}`);
            assert.ok(
                (project.config[key].description ?? "").length > 20,
                `Pulumi.yaml description of ${key}`,
            );
        }
    });

    it("have a primary and a dr stack whose roles match their names", () => {
        assert.deepStrictEqual(listStacks(), ["primary", "dr"]);
        for (const stack of listStacks()) {
            assert.strictEqual(readStackConfig(stack).config["webank:role"], stack);
        }
    });

    it("disable the default AWS provider in every stack", () => {
        for (const stack of listStacks()) {
            assert.ok(readStackConfig(stack).disabledDefaultProviders.includes("aws"), stack);
        }
    });

    it("set no project key that config/keys.ts does not know", () => {
        for (const stack of listStacks()) {
            const keys = Object.keys(readStackConfig(stack).config).filter((k) =>
                k.startsWith(`${CONFIG_NAMESPACE}:`),
            );
            for (const key of keys) {
                assert.ok(
                    key.slice(CONFIG_NAMESPACE.length + 1) in CONFIG_KEYS,
                    `${stack} sets unknown ${key}`,
                );
            }
        }
    });
});

describe("Pulumi project and stack files that cannot be read", () => {
    after(removeProjectCopies);
    const drText = fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.dr.yaml"), "utf8");
    /** The 1-based line of the first line appended to Pulumi.dr.yaml. */
    const appended = drText.split("\n").length;

    it("name the file, line and column of a YAML syntax error, with the yaml package's message", () => {
        const root = projectCopy({ "Pulumi.dr.yaml": `${drText}  webank:role: primary\n` });
        const refused = fileRefused(
            "Pulumi.dr.yaml",
            { line: appended, column: 3 },
            /: Map keys must be unique$/,
        );
        assert.throws(() => readStackConfig("dr", root), refused);
        // The CLI's loader, and primary's (which reads dr's objectives), say the same.
        assert.throws(() => stackConfigFromFiles("dr", { root }), refused);
        assert.throws(() => stackConfigFromFiles("primary", { root }), refused);
    });

    it("list every YAML error of a file, each at its own line", () => {
        const root = projectCopy({
            "Pulumi.dr.yaml": `${drText}  webank:role: primary\n  webank:posture: warm\n  webank:posture: pilot\n`,
        });
        assert.throws(
            () => readStackConfig("dr", root),
            fileRefused(
                "Pulumi.dr.yaml",
                { line: appended, column: 3 },
                new RegExp(`unique\\nPulumi\\.dr\\.yaml:${appended + 2}:3: Map keys must be unique$`),
            ),
        );
    });

    it("name the line of a flow sequence left open", () => {
        const root = projectCopy({
            "Pulumi.dr.yaml": `${drText}  webank:posture: [warm\n  webank:activated: "false"\n`,
        });
        assert.throws(
            () => readStackConfig("dr", root),
            fileRefused(
                "Pulumi.dr.yaml",
                { line: appended + 1, column: 3 },
                /Flow sequence in block collection/,
            ),
        );
    });

    it("name Pulumi.yaml and the line of a syntax error there", () => {
        const root = projectCopy({
            "Pulumi.yaml": (text) => text.replace("runtime:\n", "runtime:\n\tname: nodejs\n"),
        });
        assert.throws(
            () => stackConfigFromFiles("primary", { root }),
            fileRefused("Pulumi.yaml", { line: 4, column: 1 }, /Tabs are not allowed as indentation/),
        );
    });

    it("refuse a stack file that is not a mapping", () => {
        const root = projectCopy({ "Pulumi.dr.yaml": "- webank:role: dr\n" });
        assert.throws(
            () => stackConfigFromFiles("dr", { root }),
            fileRefused(
                "Pulumi.dr.yaml",
                { line: 1, column: 1 },
                /a stack file must be a mapping with a config: key; got a list$/,
            ),
        );
    });

    it("refuse a config: that is not a mapping", () => {
        const root = projectCopy({ "Pulumi.dr.yaml": "config:\n  - webank:role: dr\n" });
        assert.throws(
            () => stackConfigFromFiles("dr", { root }),
            fileRefused(
                "Pulumi.dr.yaml",
                { line: 2, column: 3 },
                /config must be a mapping of config keys to values; got a list$/,
            ),
        );
    });

    it("refuse a key without its namespace, and a key without a value", () => {
        const bare = projectCopy({ "Pulumi.dr.yaml": `${drText}  drRegion: us-west-2\n` });
        assert.throws(
            () => readStackConfig("dr", bare),
            fileRefused(
                "Pulumi.dr.yaml",
                { line: appended, column: 3 },
                /config key drRegion must be namespaced, e\.g\. webank:drRegion$/,
            ),
        );
        const empty = projectCopy({ "Pulumi.dr.yaml": `${drText}  webank:prefix:\n` });
        assert.throws(
            () => readStackConfig("dr", empty),
            fileRefused("Pulumi.dr.yaml", { line: appended, column: 3 }, /webank:prefix has no value/),
        );
    });

    it("refuse a stack without a stack file, naming the file and the stacks there are", () => {
        assert.throws(
            () => stackConfigFromFiles("staging"),
            fileRefused(
                "Pulumi.staging.yaml",
                undefined,
                /stack "staging" has no stack file \(stacks here: primary, dr\)$/,
            ),
        );
    });

    it("refuse a project without Pulumi.yaml, or one that is not a mapping with a name", () => {
        assert.throws(
            () => stackConfigFromFiles("dr", { root: projectCopy({ "Pulumi.yaml": null }) }),
            fileRefused("Pulumi.yaml", undefined, /there is no project file in /),
        );
        assert.throws(
            () => readProjectFile(projectCopy({ "Pulumi.yaml": "- name\n" })),
            fileRefused("Pulumi.yaml", { line: 1, column: 1 }, /the project file must be a mapping/),
        );
        assert.throws(
            () => readProjectFile(projectCopy({ "Pulumi.yaml": "runtime: nodejs\n" })),
            fileRefused("Pulumi.yaml", { line: 1, column: 1 }, /the project file must have a name/),
        );
    });

    it("print as one readable message, without a stack trace under the Pulumi CLI", () => {
        try {
            stackConfigFromFiles("staging");
            assert.fail("accepted");
        } catch (error) {
            assert.ok(error instanceof pulumi.RunError, "a RunError: the CLI prints its message alone");
            assert.ok(error instanceof StackFileError);
        }
    });
});

import * as assert from "assert";
import { CONFIG_KEYS, CONFIG_NAMESPACE } from "../../config";
import { listStacks, readProjectFile, readStackConfig } from "../../config/stack-files";

describe("Pulumi project and stack files", () => {
    const project = readProjectFile();

    it("name the project webank, so config keys are webank:*", () => {
        assert.strictEqual(project.name, CONFIG_NAMESPACE);
    });

    it("declare exactly the keys config.ts reads, each with its type and a description", () => {
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

    it("set no project key that config.ts does not know", () => {
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

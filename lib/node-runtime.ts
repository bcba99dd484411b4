/*
 * The Node.js major version everything runs on is written once, as package.json's
 * `engines.node` (">=24"): npm test refuses an older runtime (scripts/check-runtime.ts) and
 * the deploy runner's buildspec asks CodeBuild for the same major
 * (components/deploy-runner-buildspec.ts).
 */

/**
 * The Node.js majors the CodeBuild image the deploy runner uses (aws/codebuild/amazonlinux-x86_64-standard:5.0)
 * can install through `runtime-versions`: aws-codebuild-docker-images
 * al/x86_64/standard/5.0/runtimes.yml at commit 0c5eb16 lists nodejs 18, 20, 22 and 24.
 */
export const CODEBUILD_NODE_MAJORS: readonly number[] = [18, 20, 22, 24];

/**
 * The lowest major version an `engines.node` range of the form `>=N` (or `>=N.x.y`) admits.
 * Any other form is refused, naming the value: a range with an upper bound or alternatives
 * has no single major to ask CodeBuild for.
 */
export function minimumNodeMajor(range: string): number {
    const match = /^>=\s*(\d+)(\.\d+){0,2}$/.exec(range.trim());
    if (!match) {
        throw new Error(
            `package.json engines.node must be ">=<major>" (one lower bound); got ${JSON.stringify(range)}`,
        );
    }
    return Number(match[1]);
}

/** Why Node.js `version` (as `process.versions.node` gives it) does not satisfy `range`, or undefined when it does. */
export function nodeRuntimeProblem(version: string, range: string): string | undefined {
    const major = Number(/^v?(\d+)\./.exec(version)?.[1] ?? NaN);
    const minimum = minimumNodeMajor(range);
    if (Number.isNaN(major)) {
        return `cannot read a major version from Node.js version ${JSON.stringify(version)}`;
    }
    return major >= minimum
        ? undefined
        : `Node.js ${version} is older than package.json's engines.node (${range}): run npm ci, which ` +
              `installs the pinned Node ${minimum} for Linux into node_modules/.bin, or install Node ${minimum}`;
}

/** The CodeBuild `runtime-versions` major for `range`; refused when the image cannot install it. */
export function codebuildNodeMajor(range: string): number {
    const major = minimumNodeMajor(range);
    if (!CODEBUILD_NODE_MAJORS.includes(major)) {
        throw new Error(
            `package.json engines.node ${JSON.stringify(range)} asks for Node.js ${major}, which the deploy ` +
                `runner's CodeBuild image cannot install (it offers ${CODEBUILD_NODE_MAJORS.join(", ")})`,
        );
    }
    return major;
}

import { stringify } from "yaml";
import { engines } from "../package.json";
import {
    RUNNER_ARGS_VARIABLE,
    RUNNER_COMMAND_VARIABLE,
    RUNNER_COMMANDS,
    RUNNER_RECOVERY_COMMANDS,
} from "../lib/kubernetes-access";
import { codebuildNodeMajor } from "../lib/node-runtime";

/*
 * The buildspec of the deploy runner: install the pinned Pulumi CLI after checking its
 * SHA-256, install the program's locked dependencies, then preview or update the stack with
 * the project's policy pack. Every value it needs arrives as an environment variable set on
 * the project ({@link RUNNER_VARIABLES}); a start-build may override WEBANK_COMMAND only to
 * say what to do.
 */

/** The environment variables the runner's buildspec reads, by purpose. */
export const RUNNER_VARIABLES = {
    /** The stack the runner deploys (`primary`, `dr`). */
    stack: "WEBANK_STACK",
    /**
     * `preview` (the project's default), `up`, `refresh` (then a preview: after a state
     * restore, reads what exists through the private endpoint), or `failover` (the dr stack's
     * runner only: the CLI's failover with {@link RUNNER_VARIABLES}.args); a start-build
     * overrides it.
     */
    command: RUNNER_COMMAND_VARIABLE,
    /**
     * A recovery command's arguments, a JSON array of strings (lib/kubernetes-access.ts
     * RUNNER_ARGS_VARIABLE); only a start-build of `failover` sets it.
     */
    args: RUNNER_ARGS_VARIABLE,
    /** The Pulumi backend: the bootstrap state bucket (README, bootstrap). */
    backendUrl: "PULUMI_BACKEND_URL",
    /** The pinned Pulumi CLI version. */
    pulumiVersion: "WEBANK_PULUMI_VERSION",
    /** The pinned SHA-256 of its archive (`webank:runnerPulumiSha256`); empty when not pinned. */
    pulumiSha256: "WEBANK_PULUMI_SHA256",
    /** Where the CLI is unpacked (`<dir>/pulumi/pulumi`); the project leaves it unset (/opt). */
    installDir: "WEBANK_PULUMI_DIR",
} as const;

/** The install directory when {@link RUNNER_VARIABLES}.installDir is unset. */
const DEFAULT_INSTALL_DIR = "/opt";

/**
 * Where the Pulumi CLI comes from: the release archive and the checksums file published
 * beside it (`https://get.pulumi.com/releases/sdk/pulumi-v<version>-linux-x64.tar.gz` and
 * `pulumi-<version>-checksums.txt`, lines `<sha256>  <file>`; the layout of Pulumi's own
 * installer and of pierskarsenbarg/pulumi-feature src/pulumi/install.sh).
 */
export const PULUMI_RELEASES_URL = "https://get.pulumi.com/releases/sdk";

/** The script that installs and verifies the Pulumi CLI into `<install dir>/pulumi`. */
export function installScript(): string {
    const v = RUNNER_VARIABLES;
    return [
        "set -euo pipefail",
        `dir="\${${v.installDir}:-${DEFAULT_INSTALL_DIR}}"`,
        `archive="pulumi-v\${${v.pulumiVersion}}-linux-x64.tar.gz"`,
        'work="$(mktemp -d)"',
        `curl -fsSL --retry 3 -o "$work/$archive" "${PULUMI_RELEASES_URL}/$archive"`,
        `curl -fsSL --retry 3 -o "$work/checksums.txt" "${PULUMI_RELEASES_URL}/pulumi-\${${v.pulumiVersion}}-checksums.txt"`,
        `published="$(awk -v file="$archive" '$2 == file { print $1 }' "$work/checksums.txt")"`,
        `pinned="\${${v.pulumiSha256}:-}"`,
        // A pinned checksum must agree with the published one: either differing means tampering.
        'if [ -n "$pinned" ] && [ "$pinned" != "$published" ]; then ' +
            'echo "refusing $archive: its published SHA-256 ($published) is not the pinned webank:runnerPulumiSha256 ($pinned)"; exit 1; fi',
        'expected="${pinned:-$published}"',
        'actual="$(sha256sum "$work/$archive" | cut -d " " -f 1)"',
        'if [ -z "$expected" ] || [ "$actual" != "$expected" ]; then ' +
            'echo "refusing $archive: its SHA-256 is $actual, expected ${expected:-a line for it in the checksums file}"; exit 1; fi',
        'if [ -z "$pinned" ]; then echo "WARNING: webank:runnerPulumiSha256 is not set: checked against the published checksums only"; fi',
        'echo "pulumi $archive sha256 $actual verified"',
        'tar -xzf "$work/$archive" -C "$dir"',
        '"$dir/pulumi/pulumi" version',
    ].join("\n");
}

/** The stack whose runner may run a recovery command: failover activates the dr stack. */
const RECOVERY_STACK = "dr";

/**
 * The CLI entry point a recovery command runs through: it reads the command and its JSON
 * arguments from the environment, so the shell never sees an argument.
 */
export const RUNNER_MAIN = "automation/cli/runner-main.ts";

/** The script that previews or updates the stack, or runs a recovery command in the dr runner. */
export function runScript(): string {
    const v = RUNNER_VARIABLES;
    const commands = [...RUNNER_COMMANDS, ...RUNNER_RECOVERY_COMMANDS];
    const recovery = RUNNER_RECOVERY_COMMANDS.join("|");
    return [
        "set -euo pipefail",
        `export PATH="\${${v.installDir}:-${DEFAULT_INSTALL_DIR}}/pulumi:$PATH"`,
        `case "\${${v.command}}" in ${commands.join("|")}) ;; *) ` +
            `echo "${v.command} must be one of ${commands.join(", ")}; got '\${${v.command}}'. Nothing was changed."; exit 1 ;; esac`,
        // A failover activates the dr stack: another stack's runner must never run one.
        `case "\${${v.command}}" in ${recovery}) if [ "\${${v.stack}}" != "${RECOVERY_STACK}" ]; then ` +
            `echo "\${${v.command}} runs only in the ${RECOVERY_STACK} stack's runner, not in that of stack '\${${v.stack}}'. Nothing was changed."; exit 1; fi ;; esac`,
        'echo "source: S3 object version ${CODEBUILD_RESOLVED_SOURCE_VERSION:-unknown}"',
        "npm ci --no-audit --no-fund",
        `pulumi login "\${${v.backendUrl}}"`,
        `stack="\${${v.stack}}"`,
        // A refresh reads every resource, Kubernetes ones through the private endpoint, so it
        // runs here too; the preview after it shows what the next `up` would change.
        `case "\${${v.command}}" in ` +
            // node reads the arguments from the environment (JSON): nothing here expands them.
            // The failover's tools, aws and kubectl, are in the image (aws/aws-codebuild-docker-images,
            // al/x86_64/standard/5.0/Dockerfile: AWS CLI v2, and kubectl from Amazon EKS).
            `${recovery}) node -r ts-node/register/transpile-only ${RUNNER_MAIN} ;; ` +
            'up) pulumi up --stack "$stack" --yes --non-interactive --diff --policy-pack policies ;; ' +
            'refresh) pulumi refresh --stack "$stack" --yes --non-interactive --diff; ' +
            'pulumi preview --stack "$stack" --non-interactive --diff --policy-pack policies ;; ' +
            '*) pulumi preview --stack "$stack" --non-interactive --diff --policy-pack policies ;; esac',
    ].join("\n");
}

/**
 * The buildspec (version 0.2, bash): the Node.js major of package.json's engines from the
 * image's runtimes (lib/node-runtime.ts says which it offers), then the two scripts; a failed
 * command aborts the build.
 */
export function deployRunnerBuildspec(): string {
    return stringify(
        {
            version: "0.2",
            env: { shell: "bash" },
            phases: {
                install: {
                    "runtime-versions": { nodejs: codebuildNodeMajor(engines.node) },
                    "on-failure": "ABORT",
                    commands: [installScript()],
                },
                build: { "on-failure": "ABORT", commands: [runScript()] },
            },
        },
        { lineWidth: 0 },
    );
}

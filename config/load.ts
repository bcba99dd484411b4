import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, configKey } from "./keys";
import { parseStackConfig, StackConfig } from "./stack-config";
import { counterpartObjectives, projectDefault, PROJECT_ROOT, readProjectFile } from "./stack-files";

/*
 * The loader the Pulumi program calls: the stack's config from the Pulumi runtime, plus what
 * the runtime does not carry, read from the project's files (./stack-files), handed to the
 * pure parser (./stack-config).
 */

/**
 * Loads and validates the current stack's config from the Pulumi runtime. Call it before
 * declaring any resource. Pulumi.yaml's default of `webank:objectives` and the counterpart
 * stack's objectives (see `RawStackConfig` in ./keys) are read from the project's files, since
 * the runtime does not carry them.
 */
export function loadStackConfig(
    options: {
        /**
         * Directory holding Pulumi.yaml and the stack files.
         * @default PROJECT_ROOT, the directory this program was loaded from
         */
        readonly root?: string;
    } = {},
): StackConfig {
    const root = options.root ?? PROJECT_ROOT;
    const stack = pulumi.getStack();
    const config = new pulumi.Config(CONFIG_NAMESPACE);
    const keysSet = Object.keys(pulumi.runtime.allConfig())
        .filter((k) => k.startsWith(`${CONFIG_NAMESPACE}:`))
        .map((k) => k.slice(CONFIG_NAMESPACE.length + 1));
    return parseStackConfig({
        project: pulumi.getProject(),
        stack,
        get: (name) => config.get(name),
        keysSet,
        secretKeys: keysSet.filter((name) => isConfigSecret(configKey(name))),
        projectObjectives: projectDefault(readProjectFile(root), "objectives"),
        counterpart: counterpartObjectives(stack, root),
    });
}

/**
 * Whether a config value is a Pulumi secret. The SDK answers this (runtime/config.ts) but
 * does not publish it in its typings.
 */
function isConfigSecret(fullKey: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
    return runtime.isConfigSecret?.(fullKey) ?? false;
}

import type { StackConfig } from "../../config";
import { parseStackConfig } from "../../config";
import { PROJECT_ROOT, readStackConfig } from "../../config/stack-files";

/**
 * The dr stack's config, read from Pulumi.yaml and Pulumi.dr.yaml and validated as the
 * program validates it: the config every recovery command runs with.
 */
export function drStackConfig(root: string = PROJECT_ROOT, now: Date = new Date()): StackConfig {
    const files = readStackConfig("dr", root);
    const namespace = `${files.project}:`;
    const keys = Object.keys(files.config).filter((k) => k.startsWith(namespace));
    return parseStackConfig({
        project: files.project,
        stack: "dr",
        now,
        get: (key) => files.config[`${namespace}${key}`],
        keysSet: keys.map((k) => k.slice(namespace.length)),
        secretKeys: files.secretKeys.map((k) => k.slice(namespace.length)),
    });
}

import type { StackConfig } from "../../config/stack-config";
import { PROJECT_ROOT, stackConfigFromFiles } from "../../config/stack-files";

/**
 * The dr stack's config, read from Pulumi.yaml and Pulumi.dr.yaml and validated as the
 * program validates it (objectives merged with the project default and checked against the
 * primary stack's): the config every recovery command runs with.
 */
export function drStackConfig(root: string = PROJECT_ROOT, now: Date = new Date()): StackConfig {
    return stackConfigFromFiles("dr", { root, now });
}

/** The config namespace of this project: every key is `webank:<key>`. */
export const CONFIG_NAMESPACE = "webank";

/** The full name of a project config key: `webank:<name>`. */
export function configKey(name: string): string {
    return `${CONFIG_NAMESPACE}:${name}`;
}

import { createRegionalProviders } from "./components/providers";
import { loadStackConfig } from "./config";
import { defineDrStack } from "./stacks/dr";
import { definePrimaryStack } from "./stacks/primary";

/**
 * The whole Pulumi program for either stack. Config is validated first, so a bad key fails
 * the run before any resource is declared; the stack's role then picks what to declare.
 * Returns the stack outputs. Both `index.ts` (the Pulumi entry) and the offline engine
 * (`npm run plan`, the tests) call it; the offline engine passes the project directory it
 * read the stack files from, so the objectives are compared with that copy's other stack.
 */
export function defineProgram(options: { root?: string } = {}): Record<string, unknown> {
    const config = loadStackConfig(options);
    const providers = createRegionalProviders(config);
    return config.role === "primary"
        ? definePrimaryStack(config, providers)
        : defineDrStack(config, providers);
}

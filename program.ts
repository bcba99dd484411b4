import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createRegionalProviders } from "./components/providers";
import { loadStackConfig } from "./config/load";
import { CODEBUILD_BUILD_ARN_VARIABLE, parseBuildArn } from "./lib/kubernetes-access";
import { defineDrStack } from "./stacks/dr";
import { DeployContext } from "./stacks/platform";
import { definePrimaryStack } from "./stacks/primary";

/**
 * The whole Pulumi program for either stack. Config is validated first, so a bad key fails
 * the run before any resource is declared; then the program finds out where it runs (inside
 * a deploy runner or not) and which EKS clusters already exist in the stack's region, so
 * that an update that could not reach a private API endpoint is refused before anything is
 * declared (lib/kubernetes-access.ts); the stack's role then picks what to declare.
 * Returns the stack outputs. Both `index.ts` (the Pulumi entry) and the offline engine
 * (`npm run plan`, the tests) call it; the offline engine passes the project directory it
 * read the stack files from, so the objectives are compared with that copy's other stack,
 * and `asRunner`, so the plan shows what the stack's deploy runner applies.
 */
export async function defineProgram(
    options: { root?: string; asRunner?: boolean } = {},
): Promise<Record<string, unknown>> {
    const config = loadStackConfig(options);
    const providers = createRegionalProviders(config);
    const clusters = await aws.eks.getClusters({}, { provider: providers.stackRegion });
    const deploy: DeployContext = {
        build: parseBuildArn(process.env[CODEBUILD_BUILD_ARN_VARIABLE]),
        existingClusters: clusters.names,
        dryRun: pulumi.runtime.isDryRun(),
        asRunner: options.asRunner,
    };
    return config.role === "primary"
        ? definePrimaryStack(config, providers, deploy)
        : defineDrStack(config, providers, deploy);
}

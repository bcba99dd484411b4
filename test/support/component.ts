import * as aws from "@pulumi/aws";
import { OfflineRun, runOffline } from "../../offline/engine";

/**
 * Declares one or more components directly under the offline engine (stack `test`, no
 * config) with an AWS provider for us-east-1, and returns the recorded run. `build`
 * returns the outputs to resolve.
 */
export function runComponent(
    build: (provider: aws.Provider) => Record<string, unknown>,
): Promise<OfflineRun> {
    return runOffline({
        project: "webank",
        stack: "test",
        config: {},
        program: () => build(new aws.Provider("home", { region: "us-east-1" })),
    });
}

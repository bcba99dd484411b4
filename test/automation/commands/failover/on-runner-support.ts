import { CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
    BatchGetBuildsCommand,
    BatchGetProjectsCommand,
    Build,
    CodeBuildClient,
    StartBuildCommand,
} from "@aws-sdk/client-codebuild";
import { AwsClientStub } from "aws-sdk-client-mock";
import type { StackConfig } from "../../../../config/stack-config";
import { CodeBuildDeployRunner } from "../../../../automation/adapters/aws/deploy-runner";
import type { InterruptSource } from "../../../../automation/commands/definition";
import type { RecoveryPorts } from "../../../../automation/ports";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { mockInstance } from "../../../support/mock-client";

/*
 * The ports a `failover --on-runner` test runs with: the simulated account for S3, the
 * workspace and STS (the DR state and artifact buckets hold what the remote run writes), the
 * real CodeBuild adapter of the DR region over mocked CodeBuild and CloudWatch Logs clients
 * (moto's StartBuild answer does not deserialize: deploy-runner.test.ts), and every port of
 * the home region, Route 53, the home-region jobs and the lock made to fail the test when
 * touched: the follower must need nothing from the home region.
 */

/** The dr stack's runner project (lib/naming.ts deployRunnerProjectName("webank", "dr")). */
export const DR_PROJECT = "webank-dr-deploy";

/** A CodeBuild build id of {@link DR_PROJECT}: `<project>:<UUID>` (CodeBuild API reference, Build id). */
export const DR_BUILD = `${DR_PROJECT}:4b8c2f1e-9d3a-4e57-8a61-0c2b7d9e5f13`;

/** The console link LogsLocation.deepLink gives a build's log (CodeBuild API reference). */
export const DEEP_LINK = `https://console.aws.amazon.com/cloudwatch/home?region=us-west-2#logEvent:group=/aws/codebuild/${DR_PROJECT};stream=${DR_BUILD.split(":")[1]}`;

/** A port that fails the test on any use: what the follower must never reach. */
export function forbidden<T extends object>(name: string, touched: string[]): T {
    return new Proxy({} as T, {
        get: (_target, property) => {
            if (property === "then") {
                return undefined;
            }
            touched.push(`${name}.${String(property)}`);
            throw new Error(`the on-runner failover reached ${name}.${String(property)}`);
        },
    });
}

/** The mocked DR-region clients and the ports around them. */
export interface RunnerRig {
    /** CodeBuild of the DR region. */
    readonly codebuild: AwsClientStub<CodeBuildClient>;
    /** CloudWatch Logs of the DR region. */
    readonly logs: AwsClientStub<CloudWatchLogsClient>;
    /** The ports. */
    readonly ports: RecoveryPorts;
    /** Ports of the home region (and others) that were touched: must stay empty. */
    readonly touched: string[];
}

/** Builds the rig over `world`. */
export function runnerRig(world: SimulatedWorld, config: StackConfig): RunnerRig {
    const codebuildClient = new CodeBuildClient({ region: config.drRegion });
    const logsClient = new CloudWatchLogsClient({ region: config.drRegion });
    const codebuild = mockInstance(codebuildClient);
    const logs = mockInstance(logsClient);
    const touched: string[] = [];
    const simulated = world.ports();
    const ports: RecoveryPorts = {
        ...simulated,
        home: forbidden("home", touched),
        traffic: forbidden("traffic", touched),
        jobs: forbidden("jobs", touched),
        lock: forbidden("lock", touched),
        commands: forbidden("commands", touched),
        dr: {
            ...simulated.dr,
            runner: new CodeBuildDeployRunner(codebuildClient, config.drRegion, { logs: logsClient }),
        },
    };
    return { codebuild, logs, ports, touched };
}

/** BatchGetProjects answers: the dr runner exists. */
export function runnerExists(rig: RunnerRig): void {
    rig.codebuild.on(BatchGetProjectsCommand, { names: [DR_PROJECT] }).resolves({
        projects: [
            { name: DR_PROJECT, arn: `arn:aws:codebuild:us-west-2:123456789012:project/${DR_PROJECT}` },
        ],
        projectsNotFound: [],
    });
}

/**
 * The remote build, as CodeBuild and CloudWatch Logs answer it: one GetLogEvents answer per
 * element of `pages` (the last repeated, with the same forward token: the end of the stream),
 * the build IN_PROGRESS until the pages are read, then `status`; `onPage(i)` runs when page
 * `i` is served (a test writes the journal copy there, as the remote run would).
 */
export function remoteBuild(
    rig: RunnerRig,
    pages: readonly (readonly string[])[],
    status: Build["buildStatus"],
    onPage: (index: number) => Promise<void> = () => Promise.resolve(),
): void {
    rig.codebuild.on(StartBuildCommand).resolves({ build: { id: DR_BUILD, buildStatus: "IN_PROGRESS" } });
    let served = 0;
    const logsLocation = {
        groupName: `/aws/codebuild/${DR_PROJECT}`,
        streamName: DR_BUILD.split(":")[1],
        deepLink: DEEP_LINK,
    };
    rig.codebuild.on(BatchGetBuildsCommand, { ids: [DR_BUILD] }).callsFake(() =>
        Promise.resolve({
            builds: [
                {
                    id: DR_BUILD,
                    buildStatus: served >= pages.length ? status : "IN_PROGRESS",
                    currentPhase: served >= pages.length ? "COMPLETED" : "BUILD",
                    logs: logsLocation,
                },
            ],
        }),
    );
    rig.logs.on(GetLogEventsCommand).callsFake(async (input: { nextToken?: string }) => {
        const index = input.nextToken === undefined ? 0 : Number(input.nextToken.slice(2));
        if (index >= pages.length) {
            // "If you have reached the end of the stream, it returns the same token you passed in."
            return { events: [], nextForwardToken: input.nextToken };
        }
        await onPage(index);
        served = Math.max(served, index + 1);
        return {
            events: pages[index].map((message, i) => ({
                timestamp: 1_764_817_200_000 + i,
                message: `${message}\n`,
            })),
            // Tokens are opaque strings: "f/" and the next page here.
            nextForwardToken: `f/${index + 1}`,
        };
    });
}

/** No signals. */
export const NO_SIGNALS: InterruptSource = { onInterrupt: () => () => undefined };

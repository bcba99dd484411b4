import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import {
    analyzeRequestOf,
    analyzerResourceOf,
    configureRequestOf,
    isProvider,
    packInfoOf,
    PolicyViolation,
    violationOf,
} from "./analyzer-wire";
import { RecordedResource } from "./engine";
import { PolicyPackConfig, PolicyPackInfo, reconcilePolicyPackConfig } from "./policy-pack-config";

// The types and functions that moved beside this module, importable from here as before.
export type { PolicyViolation } from "./analyzer-wire";
export type {
    EnforcementLevelName,
    PolicyInfo,
    PolicyPackConfig,
    PolicyPackInfo,
    ReconciledPolicyConfig,
} from "./policy-pack-config";
export { reconcilePolicyPackConfig } from "./policy-pack-config";

/** Options of {@link ServedPolicyPack.analyze}. */
export interface AnalyzeOptions {
    /**
     * URNs of the resources to send `Analyze` (the resource policies) for; the others are not
     * analyzed one by one, and none of their resource policies' violations is reported.
     * `AnalyzeStack` (the stack policies) is sent every resource regardless. For re-analyzing
     * a stack of which only these resources changed since an analysis under the same
     * configuration: a resource policy sees only its resource and that resource's provider, so
     * a resource whose inputs, options or provider are unchanged gets the same answer again.
     * @default every resource
     */
    readonly analyzeOnly?: ReadonlySet<string>;
}

/** How long the pack may take to start and print its port. */
const START_TIMEOUT_MS = 60_000;

/**
 * A policy pack served exactly as the Pulumi CLI serves it: the pack's program is started
 * in its own directory, prints the port of its gRPC analyzer server, and is then asked to
 * `Analyze` each resource and `AnalyzeStack` the whole set over the analyzer protocol of
 * `@pulumi/pulumi/proto`.
 */
export class ServedPolicyPack {
    /** GetAnalyzerInfo's answer, asked once (the CLI caches it too: analyzer_plugin.go GetAnalyzerInfo). */
    private info?: PolicyPackInfo;

    private constructor(
        private readonly process: ChildProcess,
        private readonly client: analyzerrpc.AnalyzerClient,
    ) {}

    /** Starts the pack in `directory` (its `index.ts`) and connects to it. */
    public static async start(
        directory: string,
        options: {
            /** The tsconfig.json the pack is compiled with. @default the one in the directory above `directory` */
            readonly tsconfig?: string;
        } = {},
    ): Promise<ServedPolicyPack> {
        const tsconfig = options.tsconfig ?? path.resolve(directory, "..", "tsconfig.json");
        const child = spawn(
            process.execPath,
            ["-r", require.resolve("ts-node/register/transpile-only"), "index.ts"],
            {
                cwd: directory,
                stdio: ["ignore", "pipe", "pipe"],
                env: { ...process.env, TS_NODE_PROJECT: tsconfig },
            },
        );
        const port = await new Promise<number>((resolve, reject) => {
            let stdout = "";
            let stderr = "";
            const timer = setTimeout(() => {
                child.kill();
                reject(
                    new Error(
                        `the policy pack in ${directory} printed no port within ${START_TIMEOUT_MS / 1000}s\n${stderr}`,
                    ),
                );
            }, START_TIMEOUT_MS);
            child.stdout?.on("data", (chunk: Buffer) => {
                stdout += chunk.toString();
                const line = stdout.split("\n")[0].trim();
                if (stdout.includes("\n") && /^\d+$/.test(line)) {
                    clearTimeout(timer);
                    resolve(Number(line));
                }
            });
            child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
            child.on("exit", (code) => {
                clearTimeout(timer);
                reject(
                    new Error(
                        `the policy pack in ${directory} exited with code ${code} before serving\n${stderr}${stdout}`,
                    ),
                );
            });
        });
        const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        return new ServedPolicyPack(child, client);
    }

    /**
     * Runs `Analyze` for every resource (or, with `options.analyzeOnly`, for those it names),
     * then `AnalyzeStack` for all of them, as a preview would. Providers are neither analyzed
     * nor sent to `AnalyzeStack`, as the CLI does not.
     */
    public async analyze(
        resources: readonly RecordedResource[],
        options: AnalyzeOptions = {},
    ): Promise<PolicyViolation[]> {
        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        const analyzed = resources.filter((r) => !isProvider(r));
        const { analyzeOnly } = options;
        const violations: PolicyViolation[] = [];
        for (const resource of analyzed) {
            if (analyzeOnly && !analyzeOnly.has(resource.urn)) {
                continue;
            }
            const response = await call<analyzerproto.AnalyzeRequest, analyzerproto.AnalyzeResponse>(
                (req, cb) => this.client.analyze(req, cb),
                analyzeRequestOf(resource, byUrn),
            );
            // @pulumi/policy leaves a resource policy's diagnostic without a URN; the CLI reports
            // each one against the resource it analyzed: `events.OnPolicyViolation(r.URN, d)`
            // (pkg/resource/deploy/analyze_snapshot.go analyzeResource, called for every resource
            // by step_generator.go analyzeAll with r.URN = new.URN).
            violations.push(
                ...response.getDiagnosticsList().map((d) => ({ ...violationOf(d), urn: resource.urn })),
            );
        }

        const stack = new analyzerproto.AnalyzeStackRequest();
        stack.setResourcesList(analyzed.map((resource) => analyzerResourceOf(resource, byUrn)));
        const response = await call<analyzerproto.AnalyzeStackRequest, analyzerproto.AnalyzeResponse>(
            (req, cb) => this.client.analyzeStack(req, cb),
            stack,
        );
        violations.push(...response.getDiagnosticsList().map(violationOf));
        return violations;
    }

    /** What the pack says about itself and its policies (GetAnalyzerInfo), asked once. */
    public async describe(): Promise<PolicyPackInfo> {
        if (!this.info) {
            const response = await call<Empty, analyzerproto.AnalyzerInfo>(
                (req, cb) => this.client.getAnalyzerInfo(req, cb),
                new Empty(),
            );
            this.info = packInfoOf(response);
        }
        return this.info;
    }

    /**
     * Configures the pack with `config`, the JSON of a `--policy-pack-config` file, as
     * `pulumi preview --policy-pack <dir> --policy-pack-config <file>` does
     * (pkg/engine/update.go, local policy packs): every policy gets its defaults, then the
     * pack's initial config, then `config`; the result is validated against each policy's
     * configSchema, and Configure is sent the whole of it, one PolicyConfig per policy
     * ({@link reconcilePolicyPackConfig}). The pack keeps only the last configuration it
     * was sent (@pulumi/policy server.js `configure`: `policyPackConfig = config`), so a second
     * call replaces the first; `configure({})` restores every default.
     * @throws InvalidInputError naming each policy, property and value refused; the pack is then left as it was
     */
    public async configure(config: PolicyPackConfig): Promise<void> {
        const info = await this.describe();
        const reconciled = reconcilePolicyPackConfig(info, config);
        await call<analyzerproto.ConfigureAnalyzerRequest, Empty>(
            (req, cb) => this.client.configure(req, cb),
            configureRequestOf(reconciled),
        );
    }

    /** Closes the connection and stops the pack. */
    public stop(): void {
        this.client.close();
        this.process.kill();
    }
}

/** One unary RPC of the analyzer client as a promise. */
function call<Req, Res>(
    method: (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
    request: Req,
): Promise<Res> {
    return new Promise((resolve, reject) => {
        method(request, (error, response) => (error ? reject(error) : resolve(response)));
    });
}

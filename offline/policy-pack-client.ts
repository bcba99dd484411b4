import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import { RecordedResource } from "./engine";

/** One violation reported by the pack. */
export interface PolicyViolation {
    /** Policy name, e.g. `rds-instance-deletion-protection`. */
    readonly policy: string;
    /** `mandatory`, `advisory`, `remediate` or `disabled`. */
    readonly enforcement: string;
    /** URN of the resource (empty for stack-wide findings without one). */
    readonly urn: string;
    /** The policy's message. */
    readonly message: string;
}

const ENFORCEMENT_NAMES: Record<number, string> = {
    [analyzerproto.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerproto.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerproto.EnforcementLevel.DISABLED]: "disabled",
    [analyzerproto.EnforcementLevel.REMEDIATE]: "remediate",
};

/** How long the pack may take to start and print its port. */
const START_TIMEOUT_MS = 60_000;

/**
 * A policy pack served exactly as the Pulumi CLI serves it: the pack's program is started
 * in its own directory, prints the port of its gRPC analyzer server, and is then asked to
 * `Analyze` each resource and `AnalyzeStack` the whole set over the analyzer protocol of
 * `@pulumi/pulumi/proto`.
 */
export class ServedPolicyPack {
    private constructor(
        private readonly process: ChildProcess,
        private readonly client: analyzerrpc.AnalyzerClient,
    ) {}

    /** Starts the pack in `directory` (its `index.ts`) and connects to it. */
    public static async start(directory: string): Promise<ServedPolicyPack> {
        const child = spawn(
            process.execPath,
            ["-r", require.resolve("ts-node/register/transpile-only"), "index.ts"],
            {
                cwd: directory,
                stdio: ["ignore", "pipe", "pipe"],
                env: { ...process.env, TS_NODE_PROJECT: path.resolve(directory, "..", "tsconfig.json") },
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

    /** Runs `Analyze` for every resource, then `AnalyzeStack` for all of them, as a preview would. */
    public async analyze(resources: readonly RecordedResource[]): Promise<PolicyViolation[]> {
        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        const analyzed = resources.filter((r) => !r.type.startsWith("pulumi:providers:"));
        const violations: PolicyViolation[] = [];
        for (const resource of analyzed) {
            const request = new analyzerproto.AnalyzeRequest();
            request.setType(resource.type);
            request.setName(resource.name);
            request.setUrn(resource.urn);
            request.setProperties(Struct.fromJavaScript(asStruct(resource.inputs)));
            request.setOptions(optionsOf(resource));
            const provider = providerOf(resource, byUrn);
            if (provider) {
                request.setProvider(provider);
            }
            const response = await call<analyzerproto.AnalyzeRequest, analyzerproto.AnalyzeResponse>(
                (req, cb) => this.client.analyze(req, cb),
                request,
            );
            violations.push(...response.getDiagnosticsList().map(toViolation));
        }

        const stack = new analyzerproto.AnalyzeStackRequest();
        stack.setResourcesList(
            analyzed.map((resource) => {
                const entry = new analyzerproto.AnalyzerResource();
                entry.setType(resource.type);
                entry.setName(resource.name);
                entry.setUrn(resource.urn);
                entry.setProperties(Struct.fromJavaScript(asStruct(resource.inputs)));
                entry.setOptions(optionsOf(resource));
                entry.setDependenciesList([...resource.dependencies]);
                if (resource.parent) {
                    entry.setParent(resource.parent);
                }
                const provider = providerOf(resource, byUrn);
                if (provider) {
                    entry.setProvider(provider);
                }
                return entry;
            }),
        );
        const response = await call<analyzerproto.AnalyzeStackRequest, analyzerproto.AnalyzeResponse>(
            (req, cb) => this.client.analyzeStack(req, cb),
            stack,
        );
        violations.push(...response.getDiagnosticsList().map(toViolation));
        return violations;
    }

    /** Closes the connection and stops the pack. */
    public stop(): void {
        this.client.close();
        this.process.kill();
    }
}

function call<Req, Res>(
    method: (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
    request: Req,
): Promise<Res> {
    return new Promise((resolve, reject) => {
        method(request, (error, response) => (error ? reject(error) : resolve(response)));
    });
}

function optionsOf(resource: RecordedResource): analyzerproto.AnalyzerResourceOptions {
    const options = new analyzerproto.AnalyzerResourceOptions();
    options.setProtect(resource.protect);
    options.setIgnorechangesList([...resource.ignoreChanges]);
    if (resource.parent) {
        options.setParent(resource.parent);
    }
    return options;
}

function providerOf(
    resource: RecordedResource,
    byUrn: ReadonlyMap<string, RecordedResource>,
): analyzerproto.AnalyzerProviderResource | undefined {
    if (!resource.provider) {
        return undefined;
    }
    const urn = resource.provider.slice(0, resource.provider.lastIndexOf("::"));
    const recorded = byUrn.get(urn);
    const provider = new analyzerproto.AnalyzerProviderResource();
    provider.setUrn(urn);
    provider.setType(recorded?.type ?? urn.split("::")[2] ?? "");
    provider.setName(recorded?.name ?? urn.split("::").pop() ?? "");
    provider.setProperties(Struct.fromJavaScript(asStruct(recorded?.inputs ?? {})));
    return provider;
}

function toViolation(diagnostic: analyzerproto.AnalyzeDiagnostic): PolicyViolation {
    return {
        policy: diagnostic.getPolicyname(),
        enforcement: ENFORCEMENT_NAMES[diagnostic.getEnforcementlevel()] ?? "mandatory",
        urn: diagnostic.getUrn(),
        message: diagnostic.getMessage(),
    };
}

/** Struct.fromJavaScript takes JSON-like values only. */
function asStruct(
    value: Record<string, unknown>,
): Record<string, import("google-protobuf/google/protobuf/struct_pb").JavaScriptValue> {
    return JSON.parse(JSON.stringify(value)) as Record<
        string,
        import("google-protobuf/google/protobuf/struct_pb").JavaScriptValue
    >;
}

import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { DatabaseHeartbeat } from "../../components/heartbeat";
import { OfflineRun, RecordedResource } from "../../offline/engine";
import { inputsOf } from "./offline";
import { runComponent } from "./component";
import { commandVersion } from "./peers";

/*
 * What the heartbeat's peer tests share: the plan's containers as the kubelet would start them
 * (Kubernetes's `$(VAR)`/`$$` expansion applied), one offline run of the component, and the
 * versions of the tools the scripts need.
 */

/** The cluster the component runs in for these tests. */
export const HEARTBEAT_TEST_CLUSTER = "webank-primary";

/**
 * Kubernetes's expansion of a container's `command`, `args` and `env[].value`
 * (k8s.io/kubernetes third_party/forked/golang/expansion/expand.go): `$$` is one `$`, `$(NAME)`
 * is the variable's value when it is defined (else left as written), any other `$` stays.
 */
export function expandLikeKubernetes(text: string, vars: Readonly<Record<string, string>>): string {
    let out = "";
    for (let i = 0; i < text.length; i++) {
        if (text[i] !== "$" || i + 1 >= text.length) {
            out += text[i];
            continue;
        }
        const next = text[i + 1];
        if (next === "$") {
            out += "$";
            i++;
        } else if (next === "(") {
            const close = text.indexOf(")", i + 2);
            const name = close < 0 ? "" : text.slice(i + 2, close);
            if (close >= 0 && name in vars) {
                out += vars[name];
                i = close;
            } else {
                out += "$";
            }
        } else {
            out += "$";
        }
    }
    return out;
}

/** One container as the kubelet starts it: its interpreter, script and environment. */
export interface Started {
    readonly name: string;
    readonly command: string[];
    readonly env: Record<string, string>;
}

/** The containers (init containers first) of the CronJob's or Job's pod, expanded as Kubernetes would. */
export function startedContainers(run: OfflineRun, type: string, name: string): Started[] {
    const resource = run.resources.find((r) => r.type === type && r.name === name);
    assert.ok(resource, `${type} ${name} in the run`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const spec = (resource.inputs as any).spec;
    const pod = (spec.jobTemplate?.spec ?? spec).template.spec;
    return [...pod.initContainers, ...pod.containers].map(
        (c: { name: string; command: string[]; env: { name: string; value: string }[] }) => {
            const env: Record<string, string> = {};
            for (const e of c.env) {
                env[e.name] = expandLikeKubernetes(e.value, env);
            }
            return { name: c.name, command: c.command.map((part) => expandLikeKubernetes(part, env)), env };
        },
    );
}

/** One offline run of the component, as primary would declare it in `region`. */
export function componentRun(region: string): Promise<OfflineRun> {
    return runComponent(() => {
        new DatabaseHeartbeat("hb", {
            provider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
            awsProvider: new aws.Provider("hb-aws", { region }),
            clusterName: HEARTBEAT_TEST_CLUSTER,
            region,
            accountId: "123456789012",
            oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/oidc.eks.${region}.amazonaws.com/id/ABC`,
            oidcIssuer: `oidc.eks.${region}.amazonaws.com/id/ABC`,
            database: {
                address: `webank-db.abcdefghijkl.${region}.rds.amazonaws.com`,
                resourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                name: "webank",
                masterSecretArn: `arn:aws:secretsmanager:${region}:123456789012:secret:rds!db-0a1b-AbCdEf`,
            },
            verifierSecret: {
                secretId: `arn:aws:secretsmanager:${region}:123456789012:secret:webank/db-verifier-AbCdEf`,
                arn: `arn:aws:secretsmanager:${region}:123456789012:secret:webank/db-verifier-AbCdEf`,
                writable: true,
            },
            kmsKeyArn: `arn:aws:kms:${region}:123456789012:key/mrk-0123`,
        });
        return {};
    });
}

/** `python3 --version`, or undefined when python3 is not installed. */
export function pythonVersion(): string | undefined {
    return commandVersion("python3");
}

/** The pod spec of a recorded CronJob's or Job's template. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function podOf(resource: RecordedResource): any {
    const spec = inputsOf(resource).spec;
    return (spec.jobTemplate?.spec ?? spec).template.spec;
}

/** A container's environment as a map. */
export function envOf(container: { env: { name: string; value: string }[] }): Record<string, string> {
    return Object.fromEntries(container.env.map((e) => [e.name, e.value]));
}

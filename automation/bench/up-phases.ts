/**
 * The schedule of `pulumi up` of the activated `dr` stack: its phases, what each waits for,
 * and how long they take together at a given `--parallel`. The minutes of each phase come
 * from the cited table of automation/bench/durations.ts.
 */
import { DR_POSTURES, DrPosture } from "../../config/dr";
import { formatProblem } from "../../lib/errors";
import { drNatLayout, natGatewayCount } from "../../lib/network-layout";
import { FAILOVER_DURATIONS, FailoverDurationName } from "./durations";

/** The DR stack's posture (config/dr.ts DR_POSTURES). */
export type Posture = DrPosture;

/**
 * Whether the Argo CD release of a pilot light waits for the EBS CSI add-on. It does not:
 * stacks/platform.ts declares Argo CD `dependsOn: cluster.workloadPrerequisites` (the node
 * group and the runner's API rule), not the whole Cluster component, since Argo CD claims no
 * volume (components/argocd-values.ts REDIS_HA_PERSISTENCE), so the two run side by side.
 * test/automation/bench/program-dependencies.test.ts checks it against the program.
 */
export const ARGOCD_WAITS_FOR_EBS_CSI = false;

/** One step of `pulumi up` of the activated `dr` stack, with what it waits for. */
export interface UpPhase {
    /** Its name, e.g. `eks-control-plane`. */
    readonly name: string;
    /** How long it takes, in minutes: `count` x the minutes of `duration`. */
    readonly minutes: number;
    /** Names of the phases it waits for (Pulumi's dependency graph). */
    readonly after: string[];
    /** The entry of {@link FAILOVER_DURATIONS} its time rests on. */
    readonly duration: FailoverDurationName;
    /** How many of that duration, e.g. 3 API calls for three small resources. */
    readonly count: number;
    /** What the phase creates or changes. */
    readonly what: string;
}

/** Pulumi's default number of resource operations at once (`--parallel`, "(default 16)"). */
export const PULUMI_DEFAULT_PARALLEL = 16;

function phase(
    name: string,
    after: string[],
    duration: FailoverDurationName,
    count: number,
    what: string,
): UpPhase {
    return { name, after, duration, count, what, minutes: count * FAILOVER_DURATIONS[duration].minutes };
}

/**
 * The phases of `pulumi up` when the `dr` stack is activated (stacks/dr.ts), with Pulumi's
 * dependencies between them. Pilot and warm add a NAT gateway in each of the two other zones (hot keeps them standing),
 * creates the SECONDARY record and the DR backup plan and selects its database. Pilot and warm
 * restore the database from the replicated backups; hot promotes its read replica instead. A
 * pilot light also creates the EKS cluster, its node group, the EBS CSI add-on and Argo CD,
 * where warm and hot only scale their node group up. The root Argo CD application is created
 * in all three. Phases made of several small resources count one API call per resource, as
 * `--parallel 1` runs them; in parallel they overlap, which changes seconds, not the critical path.
 */
export function upPhases(posture: Posture): UpPhase[] {
    requirePosture(posture);
    // The NAT gateways the standing layout lacks (a hot standby keeps them all: lib/network-layout.ts).
    const newGateways =
        natGatewayCount("per-zone") -
        natGatewayCount(drNatLayout({ activated: false, hot: posture === "hot" }));
    const nat =
        newGateways === 0
            ? []
            : [
                  phase(
                      "elastic-ips",
                      [],
                      "awsApiCall",
                      newGateways,
                      "an Elastic IP address for each new NAT gateway",
                  ),
                  ...Array.from({ length: newGateways }, (_, i) =>
                      phase(
                          `nat-gateway-zone-${i + 2}`,
                          ["elastic-ips"],
                          "natGateway",
                          1,
                          `NAT gateway in zone ${i + 2}`,
                      ),
                  ),
                  phase(
                      "private-routes",
                      Array.from({ length: newGateways }, (_, i) => `nat-gateway-zone-${i + 2}`),
                      "awsApiCall",
                      newGateways,
                      "the other zones' private route tables pointed at their own NAT gateway",
                  ),
              ];
    const common = [
        ...nat,
        phase("backup-plan", [], "awsApiCall", 1, "AWS Backup plan of the DR database"),
        phase("route53-health-check", [], "awsApiCall", 1, "health check of the DR endpoint"),
        phase(
            "route53-secondary-record",
            ["route53-health-check"],
            "route53Propagation",
            1,
            "SECONDARY failover record, until INSYNC",
        ),
    ];
    const database =
        posture === "hot"
            ? [
                  // The failover promoted the replica before its refresh (its promote step, charged
                  // as background.rds.promote): this up finds it standalone and only updates it.
                  phase(
                      "rds-promoted-instance-update",
                      [],
                      "awsApiCall",
                      1,
                      "the promoted instance updated in place (its master password managed by RDS); no restore, no promotion",
                  ),
              ]
            : [
                  phase(
                      "database-network",
                      [],
                      "awsApiCall",
                      3,
                      "DB subnet group, security group, parameter group",
                  ),
                  phase(
                      "rds-point-in-time-restore",
                      ["database-network"],
                      "rdsPointInTimeRestore",
                      1,
                      "Multi-AZ PostgreSQL restored from the replicated backups (its Secrets Manager secret with it)",
                  ),
              ];
    const selection = phase(
        "backup-selection",
        [database[database.length - 1].name, "backup-plan"],
        "awsApiCall",
        1,
        "backup selection of the DR database",
    );
    if (posture !== "pilot") {
        return [
            ...common,
            ...database,
            selection,
            phase(
                "node-group-scale-up",
                [],
                "nodeLaunch",
                1,
                "node group raised from the warm count to serving size",
            ),
            phase(
                "argocd-root-application",
                ["node-group-scale-up"],
                "awsApiCall",
                1,
                "the root Argo CD application (Argo CD is already installed)",
            ),
        ];
    }
    return [
        ...common,
        ...database,
        selection,
        phase(
            "eks-iam-and-launch-template",
            [],
            "awsApiCall",
            11,
            "node, EBS CSI and export IAM roles with 4 attachments and 2 policies, control-plane log group, launch template",
        ),
        phase("eks-control-plane", [], "eksControlPlane", 1, "EKS control plane"),
        phase(
            "node-group",
            ["eks-control-plane", "eks-iam-and-launch-template"],
            "nodeLaunch",
            1,
            "managed node group at serving size",
        ),
        phase("ebs-csi-addon", ["node-group"], "eksAddon", 1, "EBS CSI driver add-on"),
        phase(
            "argocd-helm-release",
            [ARGOCD_WAITS_FOR_EBS_CSI ? "ebs-csi-addon" : "node-group"],
            "argocdHelmInstall",
            1,
            "Argo CD Helm release (atomic)",
        ),
        phase(
            "argocd-objects",
            ["argocd-helm-release"],
            "awsApiCall",
            9,
            "namespace, repository secret, root application, export service account, role, binding, CronJob, storage class, alarm",
        ),
    ];
}

/** The longest dependency chain of `phases`: its length in minutes and the phases on it, first to last. */
export function criticalPath(phases: readonly UpPhase[]): { minutes: number; path: string[] } {
    const byName = indexPhases(phases);
    const memo = new Map<string, { minutes: number; path: string[] }>();
    const visiting = new Set<string>();
    const longest = (name: string): { minutes: number; path: string[] } => {
        const known = memo.get(name);
        if (known) {
            return known;
        }
        if (visiting.has(name)) {
            throw new Error(
                `phase ${name} depends on itself through its "after" list; the phases must form no cycle`,
            );
        }
        visiting.add(name);
        const current = byName.get(name) as UpPhase;
        const before = current.after
            .map(longest)
            .reduce((a, b) => (b.minutes > a.minutes ? b : a), { minutes: 0, path: [] as string[] });
        const result = { minutes: before.minutes + current.minutes, path: [...before.path, name] };
        visiting.delete(name);
        memo.set(name, result);
        return result;
    };
    return phases
        .map((p) => longest(p.name))
        .reduce((a, b) => (b.minutes > a.minutes ? b : a), { minutes: 0, path: [] as string[] });
}

/**
 * Minutes `phases` take when at most `parallel` run at once, each starting as soon as what
 * it waits for is done and a slot is free (in table order): 1 gives the sum of the phases,
 * a limit above the number of phases gives the critical path.
 */
export function scheduledMinutes(phases: readonly UpPhase[], parallel: number): number {
    requireParallel(parallel);
    indexPhases(phases);
    criticalPath(phases);
    const finished = new Set<string>();
    const pending = [...phases];
    let running: { name: string; end: number }[] = [];
    let now = 0;
    while (pending.length > 0 || running.length > 0) {
        for (const next of [...pending]) {
            if (running.length >= parallel) {
                break;
            }
            if (next.after.every((name) => finished.has(name))) {
                running.push({ name: next.name, end: now + next.minutes });
                pending.splice(pending.indexOf(next), 1);
            }
        }
        const first = running.reduce((a, b) => (b.end < a.end ? b : a));
        now = first.end;
        running = running.filter((r) => r !== first);
        finished.add(first.name);
    }
    return now;
}

/**
 * Minutes of `pulumi up` of the activated `dr` stack: with `parallel` undefined Pulumi runs
 * independent resources at once (default {@link PULUMI_DEFAULT_PARALLEL}), which here is the
 * longest dependency chain; with `parallel` 1 it is the sum of the phases.
 */
export function upMinutes(posture: Posture, parallel?: number): number {
    return scheduledMinutes(upPhases(posture), parallel ?? PULUMI_DEFAULT_PARALLEL);
}

function indexPhases(phases: readonly UpPhase[]): Map<string, UpPhase> {
    const byName = new Map<string, UpPhase>();
    for (const p of phases) {
        if (byName.has(p.name)) {
            throw new Error(`phase names must be unique; got ${p.name} twice`);
        }
        byName.set(p.name, p);
    }
    for (const p of phases) {
        const unknown = p.after.filter((name) => !byName.has(name));
        if (unknown.length > 0) {
            throw new Error(
                `${p.name}.after must name phases of the same list; got ${JSON.stringify(unknown)}`,
            );
        }
    }
    return byName;
}

/** Throws, naming `webank:posture` and the value, unless `posture` is a posture {@link upPhases} knows. */
export function requirePosture(posture: unknown): asserts posture is Posture {
    if (!(DR_POSTURES as readonly unknown[]).includes(posture)) {
        throw new Error(
            formatProblem({
                field: "webank:posture",
                requirement: `be ${DR_POSTURES.join(", ")}`,
                received: posture,
            }),
        );
    }
}

/** Throws, naming `parallel` and the value, unless it is a whole number of 1 or more (`pulumi up --parallel`). */
export function requireParallel(parallel: unknown): void {
    if (typeof parallel !== "number" || !Number.isInteger(parallel) || parallel < 1) {
        throw new Error(
            formatProblem({
                field: "parallel",
                requirement: "be a whole number of 1 or more",
                received: parallel,
            }),
        );
    }
}

import { problem, UsageError } from "../../../run/refusal";
import { CHANGE_OPTIONS, changeRequestOf } from "../../change-options";
import { CommandDefinition, OptionValues, ParseContext } from "../../definition";
import { switchOf, textOf } from "../options";
import type { RestoreClusterRequest } from "./request";

/**
 * AWS Backup's limit on a namespace-level EKS restore: "Can provide up to 5 namespaces to
 * restore" (AWS Backup developer guide, "Restore an Amazon EKS cluster", metadata `namespaces`,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-eks.html).
 */
export const MAX_RESTORE_NAMESPACES = 5;

/** A Kubernetes namespace name: an RFC 1123 label, at most 63 lowercase alphanumerics or '-' (Kubernetes, "Namespaces"). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * A composite EKS recovery point in the DR region: `arn:<partition>:backup:<region>:<account>:
 * recovery-point:composite:eks/<cluster>-<timestamp>` ("Amazon EKS backup ARN format",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/eks-backups.html).
 */
export function compositePointPattern(region: string): RegExp {
    return new RegExp(
        `^arn:aws[a-z-]*:backup:${region}:\\d{12}:recovery-point:composite:eks/[A-Za-z0-9][A-Za-z0-9_-]*$`,
    );
}

/**
 * Checks the flags of `restore cluster`: a named recovery point is a composite EKS point of the
 * DR region; namespaces are valid names, at most five, none twice; `--volumes-az` is a zone of
 * the DR region and contradicts `--manifests-only`. Whether the point exists and which volumes it
 * holds is the preflight's to check (it reads AWS Backup).
 */
export function parseRestoreCluster(values: OptionValues, context: ParseContext): RestoreClusterRequest {
    const problems: string[] = [];
    const region = context.config.drRegion;
    const point = textOf(values, "recovery-point", problems);
    const namespacesText = textOf(values, "namespaces", problems);
    const manifestsOnly = switchOf(values, "manifests-only", problems);
    const az = textOf(values, "volumes-az", problems);
    if (point !== undefined && !compositePointPattern(region).test(point)) {
        problems.push(
            problem(
                "--recovery-point",
                `be the ARN of a composite EKS recovery point in the DR vault (arn:aws:backup:${region}:<account>:recovery-point:composite:eks/<cluster>-<timestamp>)`,
                point,
            ),
        );
    }
    let namespaces: string[] | undefined;
    if (namespacesText !== undefined) {
        namespaces = namespacesText.split(",").map((n) => n.trim());
        const bad = namespaces.filter((n) => !NAMESPACE.test(n));
        const repeated = namespaces.filter((n, i) => namespaces!.indexOf(n) !== i);
        if (bad.length > 0 || namespaces.length > MAX_RESTORE_NAMESPACES || repeated.length > 0) {
            problems.push(
                problem(
                    "--namespaces",
                    `be 1 to ${MAX_RESTORE_NAMESPACES} distinct Kubernetes namespace names, comma-separated (lowercase letters, digits, '-')`,
                    namespacesText,
                ),
            );
        }
    }
    if (az !== undefined) {
        if (!new RegExp(`^${region}[a-z]$`).test(az)) {
            problems.push(
                problem(
                    "--volumes-az",
                    `be an Availability Zone of the DR region ${region} (e.g. ${region}a)`,
                    az,
                ),
            );
        }
        if (manifestsOnly) {
            problems.push(
                problem(
                    "--volumes-az",
                    "not be given with --manifests-only (no volume is restored then)",
                    az,
                ),
            );
        }
    }
    if (problems.length > 0) {
        throw new UsageError(problems);
    }
    return {
        ...(point !== undefined ? { recoveryPoint: point } : {}),
        ...(namespaces !== undefined ? { namespaces } : {}),
        manifestsOnly,
        ...(az !== undefined ? { volumesAz: az } : {}),
        change: changeRequestOf(values),
    };
}

/** `npm run dr -- restore cluster`. */
export const restoreClusterDefinition: CommandDefinition<RestoreClusterRequest> = {
    path: ["restore", "cluster"],
    summary:
        "Restore the primary cluster's state (Secrets, ConfigMaps, CRDs, RBAC, volumes) from its newest EKS composite recovery point in the DR vault into the DR cluster, then verify it",
    options: {
        "recovery-point": {
            type: "string",
            describe:
                "a composite EKS recovery point of the primary cluster in the DR vault; default the newest COMPLETED one",
        },
        namespaces: {
            type: "string",
            describe: `restore only these namespaces (comma-separated, at most ${MAX_RESTORE_NAMESPACES}); default the whole cluster`,
        },
        "manifests-only": {
            type: "boolean",
            describe: "restore the Kubernetes objects only, no persistent volume",
        },
        "volumes-az": {
            type: "string",
            describe:
                "Availability Zone of the DR region to restore the EBS volumes in (one where the DR cluster has nodes); required when the point holds volumes, unless --manifests-only",
        },
        ...CHANGE_OPTIONS,
    },
    parse: parseRestoreCluster,
    run: async (request, context) => (await import("./command")).runRestoreCluster(request, context),
};

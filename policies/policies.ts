import { Policy } from "@pulumi/policy";
import * as argocdExport from "./argocd-export";
import * as backupAssurance from "./backup-assurance";
import * as backupAudit from "./backup-audit";
import * as backupCoverage from "./backup-coverage";
import * as backupPlans from "./backup-plans";
import * as backupAirGapped from "./backup-air-gapped";
import * as backupVaults from "./backup-vaults";
import * as dynamodb from "./dynamodb";
import * as ecr from "./ecr";
import * as eks from "./eks";
import * as kms from "./kms";
import * as kubernetes from "./kubernetes";
import * as protection from "./protection";
import * as rds from "./rds";
import * as rdsFailback from "./rds-failback";
import * as route53 from "./route53";
import * as s3 from "./s3";
import * as stores from "./stores";

/** Whether an export of a policy file is a policy (the files also export their type tokens). */
function isPolicy(value: unknown): value is Policy {
    return (
        typeof value === "object" &&
        value !== null &&
        typeof (value as Policy).name === "string" &&
        ("validateResource" in value || "validateStack" in value)
    );
}

/** Every policy of the pack: each policy file's exported policies, in file order. */
export const POLICIES: readonly Policy[] = [
    rds,
    rdsFailback,
    s3,
    dynamodb,
    backupPlans,
    backupAirGapped,
    backupVaults,
    backupCoverage,
    backupAssurance,
    backupAudit,
    kms,
    ecr,
    eks,
    kubernetes,
    argocdExport,
    route53,
    protection,
    stores,
].flatMap((module) => Object.values(module).filter(isPolicy));

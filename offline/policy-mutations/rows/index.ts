import { MutationRow } from "../row";
import { BACKUP_ROWS } from "./backup";
import { BACKUP_AIR_GAPPED_ROWS } from "./backup-air-gapped";
import { BACKUP_CLUSTER_ROWS } from "./backup-cluster";
import { DYNAMODB_ROWS } from "./dynamodb";
import { ECR_ROWS } from "./ecr";
import { EKS_ROWS } from "./eks";
import { KMS_ROWS } from "./kms";
import { KUBERNETES_ROWS } from "./kubernetes";
import { PROTECTION_ROWS } from "./protection";
import { RDS_ROWS } from "./rds";
import { ROUTE53_ROWS } from "./route53";
import { S3_ROWS } from "./s3";
import { S3_REPLICATION_ROWS } from "./s3-replication";
import { STORES_ROWS } from "./stores";

/** Every row of the mutation suite: one or more per protection the README claims. */
export const MUTATION_ROWS: readonly MutationRow[] = [
    ...RDS_ROWS,
    ...S3_ROWS,
    ...S3_REPLICATION_ROWS,
    ...DYNAMODB_ROWS,
    ...BACKUP_ROWS,
    ...BACKUP_AIR_GAPPED_ROWS,
    ...BACKUP_CLUSTER_ROWS,
    ...KMS_ROWS,
    ...ECR_ROWS,
    ...EKS_ROWS,
    ...KUBERNETES_ROWS,
    ...ROUTE53_ROWS,
    ...PROTECTION_ROWS,
    ...STORES_ROWS,
];

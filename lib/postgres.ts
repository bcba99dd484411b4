import { partitionOf } from "./regions";

/**
 * PostgreSQL's port: the only one the database opens (components/database.ts), the one an
 * RDS endpoint answers on when it names none, and the port IAM tokens are signed for.
 */
export const POSTGRES_PORT = 5432;

/**
 * The regional RDS CA bundle (intermediate and root CAs of the region): "Certificate bundles
 * by AWS Region" in the RDS user guide, "Using SSL/TLS to encrypt a connection to a DB
 * instance or cluster", https://truststore.pki.rds.amazonaws.com/<region>/<region>-bundle.pem.
 * Only the `aws` partition's host is known here (GovCloud and China publish theirs elsewhere).
 */
export function rdsCaBundleUrl(region: string): string {
    if (partitionOf(region) !== "aws") {
        throw new RangeError(
            `the RDS CA bundle of ${region} (partition ${partitionOf(region)}) is not published at truststore.pki.rds.amazonaws.com`,
        );
    }
    return `https://truststore.pki.rds.amazonaws.com/${region}/${region}-bundle.pem`;
}

import { MutationRow } from "../row";

const SERVICE = "Stores";
const POLICY = "stores-checked";

/**
 * The walk-arounds: the same store declared as a type no other policy judges. Each retype
 * keeps every input, so only the type changes; `stores-checked` must refuse it.
 */
const RETYPES: ReadonlyArray<{ from: string; to: string; what: string; configuration?: string }> = [
    {
        from: "aws:rds/instance:Instance",
        to: "aws:rds/cluster:Cluster",
        what: "the database as an Aurora cluster",
    },
    { from: "aws:s3/bucket:Bucket", to: "aws:s3/bucketV2:BucketV2", what: "a bucket as s3.BucketV2" },
    { from: "aws:s3/bucket:Bucket", to: "aws-native:s3:Bucket", what: "a bucket as an aws-native bucket" },
    {
        from: "aws:dynamodb/table:Table",
        to: "aws-native:dynamodb:Table",
        what: "the lock table as an aws-native table",
    },
    {
        from: "aws:dynamodb/table:Table",
        to: "aws:dynamodb/globalTable:GlobalTable",
        what: "the lock table as a v2017 global table",
    },
    {
        from: "aws:rds/instance:Instance",
        to: "aws-native:rds:DbInstance",
        what: "the restored DR database as an aws-native instance",
        configuration: "dr:activated",
    },
];

/** Every store declared as a type the pack does not judge is refused. */
export const STORES_ROWS: readonly MutationRow[] = RETYPES.map(({ from, to, what, configuration }) => ({
    service: SERVICE,
    protection: "every store is of a type the pack judges",
    mutation: what,
    ...(configuration ? { configuration } : {}),
    apply: (s) => void s.retype(s.one(from), to),
    policy: POLICY,
}));

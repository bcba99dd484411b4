import { partitionOf } from "../../lib/regions";
import { FAKE_ACCOUNT_ID, hex } from "./identifiers";

/** The result of a provider function, as the provider returns it. */
export type FunctionResult = Record<string, unknown>;

/** A region's code in AZ ids (EC2 user guide examples): us-east-1 -> use1, ap-southeast-2 -> apse2, us-gov-west-1 -> usgw1. */
export function zoneIdPrefix(region: string): string {
    const parts = region.split("-");
    const middle = parts.slice(1, -1).map(
        (word) =>
            /^(north|south)(east|west)$/
                .exec(word)
                ?.slice(1)
                .map((w) => w[0])
                .join("") ?? word[0],
    );
    return `${parts[0]}${middle.join("")}${parts[parts.length - 1]}`;
}

/** The fakes of provider functions, by token: each answers for `region` with `inputs`. */
const FUNCTIONS: Readonly<
    Record<string, (region: string, inputs: Record<string, unknown>) => FunctionResult>
> = {
    "aws:index/getCallerIdentity:getCallerIdentity": (region) => {
        // IAM user guide, "IAM identifiers": a user's ARN is arn:aws:iam::account:user/name and
        // its unique id starts with AIDA (21 characters). pulumi-aws getCallerIdentity: the
        // data source's id is the account id.
        return {
            accountId: FAKE_ACCOUNT_ID,
            arn: `arn:${partitionOf(region)}:iam::${FAKE_ACCOUNT_ID}:user/offline-plan`,
            userId: `AIDA${hex("user/offline-plan", 17).toUpperCase()}`,
            id: FAKE_ACCOUNT_ID,
        };
    },
    "aws:index/getAvailabilityZones:getAvailabilityZones": (region) => {
        // EC2 user guide, "Availability Zones": names are the region plus a letter (us-west-2a);
        // AZ ids are the region's short code plus -az<n> (use1-az1, usw2-az2). pulumi-aws
        // getAvailabilityZones: the data source's id is the region.
        const names = ["a", "b", "c"].map((zone) => `${region}${zone}`);
        return {
            id: region,
            names,
            zoneIds: names.map((_, i) => `${zoneIdPrefix(region)}-az${i + 1}`),
        };
    },
    "aws:kms/getAlias:getAlias": (region, inputs) => {
        // KMS developer guide, "Key identifiers (KeyId)": alias ARN arn:aws:kms:region:account:alias/name;
        // a multi-Region key id is mrk- followed by 32 hex digits.
        const name = String(inputs.name);
        const keyId = `mrk-${hex(name, 32)}`;
        const arn = (resource: string) =>
            `arn:${partitionOf(region)}:kms:${region}:${FAKE_ACCOUNT_ID}:${resource}`;
        return { id: name, name, arn: arn(name), targetKeyId: keyId, targetKeyArn: arn(`key/${keyId}`) };
    },
    "aws:eks/getClusters:getClusters": (region) => {
        // pulumi-aws eks/getClusters.d.ts: `names` (the set of the region's EKS cluster names),
        // `region`, and `id`, which terraform-provider-aws eks/clusters_data_source.go sets to the
        // region. The fake account is the one a first `pulumi up` starts from: no cluster yet.
        return { id: region, names: [], region };
    },
};

/** Answers a provider function call; unknown functions fail loudly rather than return nothing. */
export function callFunction(token: string, region: string, inputs: Record<string, unknown>): FunctionResult {
    const fake = FUNCTIONS[token];
    if (!fake) {
        throw new Error(
            `The offline engine has no fake for the function ${token}; add one to offline/fake-cloud/functions.ts`,
        );
    }
    return fake(region, inputs);
}

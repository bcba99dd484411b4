import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { FAKE_ACCOUNT_ID, FakeCloud } from "../../offline/fake-cloud";

// The formats below are the providers' own, each with the documentation that states it. A fake
// shaped to fit the code instead is how IRSA conditions with the wrong issuer form went unseen.

/** Provider references as the engine names them (`urn::id`), one per region. */
const HOME = "urn:pulumi:primary::webank::pulumi:providers:aws::webank-home::home-id";
const DR = "urn:pulumi:primary::webank::pulumi:providers:aws::webank-dr::dr-id";

/**
 * EKS issuer URL, `cluster.identity.oidc.issuer` of DescribeCluster: EKS user guide,
 * "Create an IAM OIDC provider for your cluster" and "Assign IAM roles to Kubernetes service
 * accounts" (example `https://oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`,
 * an id of 32 upper-case hex characters).
 */
const issuerUrl = (region: string) =>
    new RegExp(`^https://oidc\\.eks\\.${region.replace(/-/g, "\\-")}\\.amazonaws\\.com/id/[0-9A-F]{32}$`);
/** The same issuer without the scheme: pulumi-eks `oidcIssuer` ("OIDC Provider URL without leading `https://`"). */
const issuerHost = (region: string) =>
    new RegExp(`^oidc\\.eks\\.${region.replace(/-/g, "\\-")}\\.amazonaws\\.com/id/[0-9A-F]{32}$`);

/** A fake cloud with one AWS provider in each region, as the primary stack has. */
function cloud(): FakeCloud {
    const fake = new FakeCloud();
    fake.rememberProvider(HOME, "pulumi:providers:aws", { region: "us-east-1" });
    fake.rememberProvider(DR, "pulumi:providers:aws", { region: "us-west-2" });
    return fake;
}

/** The outputs the fake returns for one resource. */
function create(
    fake: FakeCloud,
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    provider?: string,
): pulumi.runtime.MockResourceResult {
    return fake.newResource({ type, name, inputs, provider, custom: !type.startsWith("eks:") });
}

/** An EKS cluster as the program declares it: in the VPC of a regional network. */
function eksCluster(fake: FakeCloud, provider: string, clusterName: string): Record<string, string> {
    const vpc = create(fake, "aws:ec2/vpc:Vpc", `${clusterName}-vpc`, { cidrBlock: "10.0.0.0/16" }, provider);
    // pulumi-eks is a remote component: the mock engine gets no provider for it, only its inputs.
    return create(fake, "eks:index:Cluster", `${clusterName}-eks`, { name: clusterName, vpcId: vpc.id })
        .state;
}

describe("offline/fake-cloud: outputs in the providers' documented formats", () => {
    describe("eks:index:Cluster (pulumi-eks 4.3.0 nodejs/eks/cluster/cluster.ts)", () => {
        for (const [stack, provider, region] of [
            ["primary", HOME, "us-east-1"],
            ["dr", DR, "us-west-2"],
        ]) {
            it(`gives the ${stack} cluster an issuer in its own region (${region}), in each output's own form`, () => {
                const outputs = eksCluster(cloud(), provider, `webank-${stack}`);
                // oidcProviderUrl = identities[0].oidcs[0].issuer: the issuer URL with its scheme.
                assert.match(outputs.oidcProviderUrl, issuerUrl(region));
                // oidcIssuer = that URL with "https://" removed.
                assert.match(outputs.oidcIssuer, issuerHost(region));
                assert.strictEqual(`https://${outputs.oidcIssuer}`, outputs.oidcProviderUrl);
                // IAM: arn:aws:iam::account:oidc-provider/<issuer host and path>.
                assert.strictEqual(
                    outputs.oidcProviderArn,
                    `arn:aws:iam::${FAKE_ACCOUNT_ID}:oidc-provider/${outputs.oidcIssuer}`,
                );
            });
        }

        it("gives two clusters two issuers", () => {
            const fake = cloud();
            const home = eksCluster(fake, HOME, "webank-primary");
            const dr = eksCluster(fake, DR, "webank-dr");
            assert.notStrictEqual(home.oidcIssuer.split("/id/")[1], dr.oidcIssuer.split("/id/")[1]);
        });
    });

    it("answers getAvailabilityZones with zone names and zone ids of the provider's region", () => {
        const zones = cloud().call({
            token: "aws:index/getAvailabilityZones:getAvailabilityZones",
            inputs: {},
            provider: DR,
        });
        // EC2 user guide, "Availability Zone IDs": us-west-2a; AZ ids like usw2-az1.
        for (const name of zones.names as string[]) {
            assert.match(name, /^us-west-2[a-z]$/);
        }
        for (const id of zones.zoneIds as string[]) {
            assert.match(id, /^usw2-az[0-9]$/);
        }
    });

    it("answers getCallerIdentity with an account id, a user ARN and a user's unique id", () => {
        const identity = cloud().call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {} });
        // IAM user guide, "IAM identifiers": 12-digit account, arn:aws:iam::account:user/name,
        // unique ids of users start with AIDA.
        assert.match(String(identity.accountId), /^[0-9]{12}$/);
        assert.match(String(identity.arn), /^arn:aws:iam::[0-9]{12}:user\/[\w+=,.@-]+$/);
        assert.match(String(identity.userId), /^AIDA[A-Z0-9]{17}$/);
        assert.strictEqual(identity.id, identity.accountId);
    });

    it("names regional resources by the region of their provider, in each service's ARN format", () => {
        const fake = cloud();
        const arn = (type: string, name: string, inputs: Record<string, unknown> = {}) =>
            String(create(fake, type, name, inputs, DR).state.arn);
        const acct = FAKE_ACCOUNT_ID;
        // Service Authorization Reference, "Resource types defined by" each service.
        assert.match(
            arn("aws:kms/key:Key", "k"),
            new RegExp(`^arn:aws:kms:us-west-2:${acct}:key/[0-9a-f-]{36}$`),
        );
        assert.match(
            arn("aws:kms/key:Key", "m", { multiRegion: true }),
            new RegExp(`^arn:aws:kms:us-west-2:${acct}:key/mrk-[0-9a-f]{32}$`),
        );
        assert.strictEqual(
            arn("aws:s3/bucket:Bucket", "b", { bucket: "my-bucket" }),
            "arn:aws:s3:::my-bucket",
        );
        assert.strictEqual(
            arn("aws:dynamodb/table:Table", "t", { name: "lock" }),
            `arn:aws:dynamodb:us-west-2:${acct}:table/lock`,
        );
        assert.strictEqual(
            arn("aws:cloudwatch/logGroup:LogGroup", "l", { name: "/aws/eks/c/cluster" }),
            `arn:aws:logs:us-west-2:${acct}:log-group:/aws/eks/c/cluster`,
        );
        assert.strictEqual(
            arn("aws:cloudwatch/metricAlarm:MetricAlarm", "a", { name: "silent" }),
            `arn:aws:cloudwatch:us-west-2:${acct}:alarm:silent`,
        );
        assert.strictEqual(
            arn("aws:cloudwatch/eventRule:EventRule", "r", { name: "daily" }),
            `arn:aws:events:us-west-2:${acct}:rule/daily`,
        );
        assert.strictEqual(
            arn("aws:sns/topic:Topic", "s", { name: "alerts" }),
            `arn:aws:sns:us-west-2:${acct}:alerts`,
        );
        assert.strictEqual(
            arn("aws:backup/vault:Vault", "v", { name: "vault" }),
            `arn:aws:backup:us-west-2:${acct}:backup-vault:vault`,
        );
        assert.match(
            arn("aws:secretsmanager/secret:Secret", "x", { name: "webank/token" }),
            new RegExp(`^arn:aws:secretsmanager:us-west-2:${acct}:secret:webank/token-[A-Za-z0-9]{6}$`),
        );
        assert.strictEqual(
            arn("aws:iam/role:Role", "role", { name: "backup" }),
            `arn:aws:iam::${acct}:role/backup`,
        );
        assert.strictEqual(
            arn("aws:iam/policy:Policy", "policy", { name: "p" }),
            `arn:aws:iam::${acct}:policy/p`,
        );
    });

    it("gives a multi-Region replica key the key id of its primary key, in the replica's region", () => {
        const fake = cloud();
        const primary = create(fake, "aws:kms/key:Key", "data", { multiRegion: true }, HOME).state;
        const replica = create(
            fake,
            "aws:kms/replicaKey:ReplicaKey",
            "data-replica",
            {
                primaryKeyArn: primary.arn,
            },
            DR,
        ).state;
        // KMS developer guide, "Multi-Region keys": related keys share a key id; ids start with mrk-.
        assert.strictEqual(replica.keyId, primary.keyId);
        assert.strictEqual(replica.arn, String(primary.arn).replace(":us-east-1:", ":us-west-2:"));
    });

    it("gives ECR and RDS endpoints in the documented host formats", () => {
        const fake = cloud();
        const repo = create(fake, "aws:ecr/repository:Repository", "r", { name: "webank/charts" }, DR).state;
        // ECR user guide, "Private repository concepts": aws_account_id.dkr.ecr.region.amazonaws.com/name.
        assert.strictEqual(
            repo.repositoryUrl,
            `${FAKE_ACCOUNT_ID}.dkr.ecr.us-west-2.amazonaws.com/webank/charts`,
        );
        const db = create(fake, "aws:rds/instance:Instance", "db", { identifier: "webank-db" }, DR).state;
        // RDS user guide, "Finding the connection information": identifier.random.region.rds.amazonaws.com.
        assert.match(String(db.address), /^webank-db\.[a-z0-9]{12}\.us-west-2\.rds\.amazonaws\.com$/);
        assert.strictEqual(db.endpoint, `${db.address}:5432`);
        // RDS API DBInstance.DbiResourceId: "db-" and 26 upper-case alphanumerics.
        assert.match(String(db.resourceId), /^db-[A-Z0-9]{26}$/);
    });
});

import { ECR_REPLICATION, ECR_REPOSITORY, ECR_TEMPLATE } from "../../../policies/ecr";
import { MutableResource, MutableStack } from "../mutable-stack";
import { MutationRow } from "../row";

const SERVICE = "ECR";

/** The template `helm push` creates chart repositories with. */
const charts = (s: MutableStack) => s.one(ECR_TEMPLATE, "chart-template");
/** The template ECR creates the DR replicas with. */
const replicas = (s: MutableStack) => s.one(ECR_TEMPLATE, "replica-template");
/**
 * Declares a repository `webank/app` next to the chart template (same parent and provider),
 * with every protection but the one `weaken` removes: the program declares no repository
 * today, so these rows show a new one would be judged.
 */
function addRepository(s: MutableStack, weaken: (inputs: Record<string, unknown>) => void): void {
    const template = charts(s);
    const inputs: Record<string, unknown> = {
        name: "webank/app",
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: template.inputs.encryptionConfigurations,
    };
    weaken(inputs);
    const repository: MutableResource = {
        ...(JSON.parse(JSON.stringify(template)) as MutableResource),
        type: ECR_REPOSITORY,
        name: "webank-app",
        urn: template.urn.replace(`::${ECR_TEMPLATE}::${template.name}`, `::${ECR_REPOSITORY}::webank-app`),
        inputs,
        propertyDependencies: {
            encryptionConfigurations: template.propertyDependencies.encryptionConfigurations ?? [],
        },
        dependencies: [],
    };
    s.resources.push(repository);
}

/** The registry replication rule. */
const RULE = "replicationConfiguration.rules[0]";

/** The ECR protections the README claims: immutable, KMS-encrypted repositories replicated to the DR region. */
export const ECR_ROWS: readonly MutationRow[] = [
    {
        service: SERVICE,
        protection: "immutable tags",
        mutation: "the chart template's imageTagMutability MUTABLE",
        apply: (s) => s.set(charts(s), "imageTagMutability", "MUTABLE"),
        policy: "ecr-repository-tag-immutability",
    },
    {
        service: SERVICE,
        protection: "replicas immutable and KMS-encrypted",
        mutation: "the replica template's imageTagMutability left to the default (MUTABLE)",
        apply: (s) => s.unset(replicas(s), "imageTagMutability"),
        policy: "ecr-repository-tag-immutability",
    },
    {
        service: SERVICE,
        protection: "immutable tags",
        mutation: "imageTagMutability IMMUTABLE_WITH_EXCLUSION (some tags mutable)",
        apply: (s) => s.set(charts(s), "imageTagMutability", "IMMUTABLE_WITH_EXCLUSION"),
        policy: "ecr-repository-tag-immutability",
    },
    {
        service: SERVICE,
        protection: "scan on push",
        mutation: "a repository declared without scan on push",
        apply: (s) => addRepository(s, (inputs) => delete inputs.imageScanningConfiguration),
        policy: "ecr-repository-scan-on-push",
    },
    {
        service: SERVICE,
        protection: "images kept (no forceDelete)",
        mutation: "a repository declared with forceDelete",
        apply: (s) => addRepository(s, (inputs) => (inputs.forceDelete = true)),
        policy: "ecr-repository-force-delete-disabled",
    },
    {
        service: SERVICE,
        protection: "immutable tags",
        mutation: "a repository declared with mutable tags",
        apply: (s) => addRepository(s, (inputs) => (inputs.imageTagMutability = "MUTABLE")),
        policy: "ecr-repository-tag-immutability",
    },
    {
        service: SERVICE,
        protection: "registry replication of webank/* to the DR region",
        mutation: "a repository declared outside the replicated namespace",
        apply: (s) => addRepository(s, (inputs) => (inputs.name = "tools/app")),
        policy: "ecr-registry-replicated",
    },
    {
        service: SERVICE,
        protection: "KMS",
        mutation: "the chart template encrypted with AES256",
        apply: (s) => s.set(charts(s), "encryptionConfigurations[0].encryptionType", "AES256"),
        policy: "ecr-repository-kms-encryption",
    },
    {
        service: SERVICE,
        protection: "KMS",
        mutation: "the chart template's kmsKey dropped (the AWS managed aws/ecr key)",
        apply: (s) => s.unset(charts(s), "encryptionConfigurations[0].kmsKey"),
        policy: "ecr-repository-kms-encryption",
    },
    {
        service: SERVICE,
        protection: "replicas immutable and KMS-encrypted",
        mutation: "the replica template's encryption configuration removed",
        apply: (s) => s.unset(replicas(s), "encryptionConfigurations"),
        policy: "ecr-repository-kms-encryption",
    },
    {
        service: SERVICE,
        protection: "registry replication of webank/* to the DR region",
        mutation: "the ReplicationConfiguration not declared",
        apply: (s) => s.drop(s.one(ECR_REPLICATION)),
        policy: "ecr-registry-replicated",
    },
    {
        service: SERVICE,
        protection: "registry replication of webank/* to the DR region",
        mutation: "the replication destination the home region",
        apply: (s) => {
            const config = s.one(ECR_REPLICATION);
            s.set(config, `${RULE}.destinations[0].region`, config.region ?? "us-east-1");
        },
        policy: "ecr-registry-replicated",
    },
    {
        service: SERVICE,
        protection: "registry replication of webank/* to the DR region",
        mutation: "the replication filter narrowed to webank/images/",
        apply: (s) => s.set(s.one(ECR_REPLICATION), `${RULE}.repositoryFilters[0].filter`, "webank/images/"),
        policy: "ecr-registry-replicated",
    },
    {
        service: SERVICE,
        protection: "replicas immutable and KMS-encrypted",
        mutation: "the replica template not declared (ECR creates replicas mutable, AES256)",
        apply: (s) => s.drop(replicas(s)),
        policy: "ecr-registry-replica-template",
    },
    {
        service: SERVICE,
        protection: "replicas immutable and KMS-encrypted",
        mutation: "the replica template applied for PULL_THROUGH_CACHE instead of REPLICATION",
        apply: (s) => s.set(replicas(s), "appliedFors", ["PULL_THROUGH_CACHE"]),
        policy: "ecr-registry-replica-template",
    },
    {
        service: SERVICE,
        protection: "replicas immutable and KMS-encrypted",
        mutation: "the replica template declared in the home region",
        apply: (s) => {
            const [template, home] = [replicas(s), charts(s)];
            template.provider = home.provider;
            template.region = home.region;
        },
        policy: "ecr-registry-replica-template",
    },
    {
        service: SERVICE,
        protection: "replicas immutable and KMS-encrypted",
        mutation: "the replica template's prefix another namespace",
        apply: (s) => s.set(replicas(s), "prefix", "other"),
        policy: "ecr-registry-replica-template",
    },
];

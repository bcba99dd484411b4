import { MutableStack } from "./mutable-stack";

/**
 * One row of the mutation suite: a protection the README claims, a one-line change that
 * removes it (made to the recorded inputs of a configuration, as if the program said
 * otherwise), and the policy that must then report a mandatory violation.
 */
export interface MutationRow {
    /** The service, as the README's table groups it: `RDS`, `S3`, `DynamoDB`, `AWS Backup`, `KMS`, `EKS`, `Kubernetes`, `Route 53`, `Pulumi`, `Stores`. */
    readonly service: string;
    /** The protection, in the README's words. */
    readonly protection: string;
    /** The mutation, one line. */
    readonly mutation: string;
    /**
     * The configuration mutated (`npm run policy:check -- --stack` names).
     * @default "primary"
     */
    readonly configuration?: string;
    /** Makes the mutation. */
    readonly apply: (stack: MutableStack) => void;
    /** The policy that must catch it. */
    readonly policy: string;
}

import {
    PolicyConfigSchema,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { Evaluation, Subject } from "./evaluation";

/**
 * Builders of the pack's policies: every policy is mandatory, reads its thresholds from its
 * `configSchema` (defaults there, values from `--policy-pack-config`, which
 * `npm run policy:config` derives from the stack's objectives), reports each violation on
 * the resource's URN naming the property, and says what it could not judge in a preview.
 */

/** One threshold of a policy: a JSON-schema property with its default. */
export interface Threshold {
    /** JSON type. */
    readonly type: "integer" | "number" | "string" | "boolean" | "object";
    /** What it bounds, for `configSchema` readers. */
    readonly description: string;
    /** The value when the pack is not configured: the project's default objective or limit. */
    readonly default: unknown;
    /** Smallest accepted value (numbers). @default none */
    readonly minimum?: number;
    /** Largest accepted value (numbers). @default none */
    readonly maximum?: number;
    /** Accepted values (strings). @default any */
    readonly enum?: readonly string[];
    /** Properties of an object threshold, each `{type, minimum?}`. @default none */
    readonly properties?: Readonly<Record<string, { type: "integer"; minimum?: number }>>;
}

/** What both kinds of policy have. */
interface PolicySpec<C> {
    /** Policy name (kebab case, the service first). */
    readonly name: string;
    /** One sentence: what it checks. */
    readonly description: string;
    /** Its thresholds, by config property. @default none */
    readonly thresholds?: { readonly [K in keyof C]: Threshold };
}

function schemaOf(
    thresholds: Readonly<Record<string, Threshold>> | undefined,
): PolicyConfigSchema | undefined {
    if (!thresholds) {
        return undefined;
    }
    return {
        properties: Object.fromEntries(
            Object.entries(thresholds).map(([key, t]) => [
                key,
                {
                    type: t.type,
                    description: t.description,
                    default: t.default,
                    ...(t.minimum !== undefined ? { minimum: t.minimum } : {}),
                    ...(t.maximum !== undefined ? { maximum: t.maximum } : {}),
                    ...(t.enum ? { enum: [...t.enum] } : {}),
                    ...(t.properties ? { properties: t.properties, additionalProperties: false } : {}),
                },
            ]),
        ),
    } as unknown as PolicyConfigSchema;
}

function configOf<C>(thresholds: PolicySpec<C>["thresholds"], configured: Record<string, unknown>): C {
    const defaults = Object.fromEntries(
        Object.entries((thresholds ?? {}) as Record<string, Threshold>).map(([key, t]) => [key, t.default]),
    );
    return { ...defaults, ...configured } as C;
}

/** A policy judged on each resource of `types` alone. */
export function resourcePolicy<C = Record<string, never>>(
    spec: PolicySpec<C> & {
        /** The types it judges. */
        readonly types: readonly string[];
        /** Judges one resource. */
        readonly validate: (
            resource: Subject,
            evaluation: Evaluation,
            config: C,
            args: ResourceValidationArgs,
        ) => void;
    },
): ResourceValidationPolicy {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: "mandatory",
        configSchema: schemaOf(spec.thresholds),
        validateResource: (args, reportViolation) => {
            if (!spec.types.includes(args.type)) {
                return;
            }
            const evaluation = new Evaluation(reportViolation);
            const config = configOf<C>(spec.thresholds, args.getConfig<Record<string, unknown>>());
            spec.validate({ urn: args.urn, type: args.type, props: args.props }, evaluation, config, args);
            evaluation.finish();
        },
    };
}

/** A policy judged on the whole stack: a store together with its sibling resources. */
export function stackPolicy<C = Record<string, never>>(
    spec: PolicySpec<C> & {
        /** Judges the stack. */
        readonly validate: (args: StackValidationArgs, evaluation: Evaluation, config: C) => void;
    },
): StackValidationPolicy {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: "mandatory",
        configSchema: schemaOf(spec.thresholds),
        validateStack: (args, reportViolation) => {
            const evaluation = new Evaluation(reportViolation);
            spec.validate(
                args,
                evaluation,
                configOf<C>(spec.thresholds, args.getConfig<Record<string, unknown>>()),
            );
            evaluation.finish();
        },
    };
}

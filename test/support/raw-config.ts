import * as assert from "assert";
import { parseStackConfig } from "../../config/stack-config";
import { RawStackConfig } from "../../config/keys";
import { InvalidInputError } from "../../lib/errors";

/** A valid primary config; each case changes one thing. */
export const VALID: Record<string, string> = {
    role: "primary",
    homeRegion: "us-east-1",
    drRegion: "us-west-2",
    rpoMinutes: "15",
    rtoMinutes: "240",
    homeVpcCidr: "10.10.0.0/16",
    drVpcCidr: "10.20.0.0/16",
    // The least the default pilot posture can promise for the database (lib/delivered-rpo.ts),
    // and for volumes and the cluster (EKS in AWS Backup: snapshots only) an hourly snapshot
    // plus its copy's delivery (lib/backup-windows.ts).
    objectives:
        '{"cluster": {"rpoMinutes": 300}, "database": {"rpoMinutes": 30}, "volumes": {"rpoMinutes": 300}}',
};

/** The clock every config test runs at, so time checks are repeatable. */
export const NOW = new Date("2026-11-25T12:00:00Z");

/** What the loaders add to a stack's own values: Pulumi.yaml's objectives default, the counterpart's objectives. */
export type FromFiles = Pick<RawStackConfig, "projectObjectives" | "counterpart">;

/**
 * Raw config for `stack`: {@link VALID} with `values` applied (`undefined` removes a key),
 * and `fromFiles` as the loaders would pass it (default: nothing from files).
 */
export function raw(
    values: Record<string, string | undefined>,
    stack = "primary",
    fromFiles: FromFiles = {},
): RawStackConfig {
    const merged: Record<string, string | undefined> = { ...VALID, ...values };
    return {
        project: "webank",
        stack,
        now: NOW,
        get: (key) => merged[key],
        keysSet: Object.keys(merged).filter((k) => merged[k] !== undefined),
        ...fromFiles,
    };
}

/** Parses and returns the problems' fields and messages, failing if it parsed. */
export function problemsOf(
    values: Record<string, string | undefined>,
    stack = "primary",
    fromFiles: FromFiles = {},
): { fields: string[]; message: string } {
    try {
        parseStackConfig(raw(values, stack, fromFiles));
    } catch (error) {
        assert.ok(error instanceof InvalidInputError, `expected InvalidInputError, got ${String(error)}`);
        return { fields: error.problems.map((p) => p.field), message: error.message };
    }
    assert.fail(`config ${JSON.stringify(values)} was accepted`);
}

/** One config that must be refused: the field it must name, and text its message must contain. */
export interface RejectionCase {
    /** What is wrong, for the test title. */
    readonly title: string;
    /** Raw values applied over {@link VALID}. */
    readonly values: Record<string, string | undefined>;
    /** Stack name. Default `primary`. */
    readonly stack?: string;
    /** What the loaders would read from files. Default: nothing. */
    readonly fromFiles?: FromFiles;
    /** The field the problem must name. */
    readonly field: string;
    /** Text the message must contain (usually the value received). */
    readonly mentions: string;
}

/** Declares one test per case: the config is refused, naming the key and the value. */
export function itRejects(cases: readonly RejectionCase[]): void {
    for (const c of cases) {
        it(`rejects ${c.title}, naming the key and the value`, () => {
            const { fields, message } = problemsOf(c.values, c.stack, c.fromFiles);
            assert.ok(
                fields.includes(c.field),
                `expected a problem with ${c.field}; got ${fields.join(", ")}`,
            );
            assert.ok(
                message.includes(c.mentions),
                `expected the message to mention ${c.mentions}:\n${message}`,
            );
        });
    }
}

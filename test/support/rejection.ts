import * as assert from "assert";
import * as path from "path";
import { StackFileError } from "../../config/stack-files";
import { formatProblem, InvalidInputError } from "../../lib/errors";
import { OfflineRunError, RecordedResource } from "../../offline/engine";
import { literal } from "./regex";

/**
 * An `assert.rejects` predicate: the offline run failed on exactly one invalid argument,
 * whose message is `<field> must <requirement>…; got <received>`, and no resource matching
 * `declared` had been registered yet (validation ran before any child).
 */
export function refusedBeforeDeclaring(
    field: string,
    requirement: string,
    received: string,
    declared: (resource: RecordedResource) => boolean,
): (error: unknown) => true {
    return (error: unknown) => {
        assert.ok(error instanceof OfflineRunError, `expected an OfflineRunError, got ${String(error)}`);
        assert.ok(error.cause instanceof InvalidInputError);
        assert.match(
            error.message,
            new RegExp(`${literal(field)} must ${literal(requirement)}.*; got ${literal(received)}$`, "m"),
        );
        assert.strictEqual(error.cause.problems.length, 1);
        assert.deepStrictEqual(
            error.resources.filter(declared).map((r) => r.type),
            [],
        );
        return true;
    };
}

/**
 * An `assert.throws` predicate: a {@link StackFileError} about `file` (a base name such as
 * `Pulumi.dr.yaml`) whose message starts with `<file>:<line>:<column>: ` (or `<file>: ` when
 * `position` is `undefined`) and matches `message`.
 */
export function fileRefused(
    file: string,
    position: { readonly line: number; readonly column: number } | undefined,
    message: RegExp,
): (error: unknown) => true {
    return (error: unknown) => {
        assert.ok(error instanceof StackFileError, `expected a StackFileError, got ${String(error)}`);
        assert.strictEqual(path.basename(error.file), file);
        const prefix = position ? `${file}:${position.line}:${position.column}: ` : `${file}: `;
        assert.ok(error.message.startsWith(prefix), `expected ${prefix}…, got:\n${error.message}`);
        assert.match(error.message, message);
        return true;
    };
}

/**
 * An `assert.throws` predicate: an {@link InvalidInputError} with a problem naming `field`
 * whose formatted line matches `line`.
 */
export function configRefused(field: string, line: RegExp): (error: unknown) => true {
    return (error: unknown) => {
        assert.ok(error instanceof InvalidInputError, `expected an InvalidInputError, got ${String(error)}`);
        const problem = error.problems.find((p) => p.field === field);
        assert.ok(problem, `expected a problem with ${field}; got:\n${error.message}`);
        assert.match(formatProblem(problem), line);
        return true;
    };
}

import * as assert from "assert";
import { InvalidInputError } from "../../lib/errors";
import { OfflineRunError, RecordedResource } from "../../offline/engine";

/** Escapes `text` for use inside a regular expression. */
export function literal(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

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

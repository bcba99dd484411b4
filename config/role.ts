import { ProblemCollector } from "../lib/errors";
import { configKey, RawStackConfig } from "./keys";

/** The roles a stack can play. */
export const STACK_ROLES = ["primary", "dr"] as const;

/** `primary` runs the platform in the home region; `dr` is the standby in the DR region. */
export type StackRole = (typeof STACK_ROLES)[number];

/**
 * Every DR drill's stack name starts with this (`npm run dr -- drill` creates
 * `dr-drill-<id>`); such a stack is a disposable copy of dr, so its role is dr.
 */
export const DRILL_STACK_PREFIX = "dr-drill-";

/**
 * The role a stack's name fixes: `primary` and `dr` are their own roles, and a drill stack
 * (`dr-drill-<id>`) is a dr stack. `undefined` for any other name, whose role comes from
 * `webank:role` alone. The names matter because the physical names of the resources derive
 * from the role: a stack named dr with role primary would plan a second primary platform
 * with the very names the real one owns.
 */
export function roleOfStackName(stack: string): StackRole | undefined {
    if (stack === "primary" || stack === "dr") {
        return stack;
    }
    return stack.startsWith(DRILL_STACK_PREFIX) ? "dr" : undefined;
}

/**
 * The stack whose objectives this one must equal, or `undefined` when none: primary's
 * objectives make the backups and dr's judge them (policy thresholds, status checks, the
 * runbook), so primary and dr must hold the same ones, and a drill, which judges a restore of
 * primary's backups, must hold primary's.
 */
export function counterpartOf(stack: string): string | undefined {
    if (stack === "primary") {
        return "dr";
    }
    return roleOfStackName(stack) === "dr" ? "primary" : undefined;
}

/**
 * `webank:role`, defaulting to the role the stack name fixes (or the stack name itself), and
 * refused when it disagrees with that name.
 */
export function parseRole(raw: RawStackConfig, problems: ProblemCollector): StackRole | undefined {
    const configured = raw.get("role");
    const fixed = roleOfStackName(raw.stack);
    if (fixed !== undefined) {
        if (configured === undefined || configured === fixed) {
            return fixed;
        }
        const what = fixed === "dr" && raw.stack !== "dr" ? "a drill stack" : `the stack named ${raw.stack}`;
        problems.add(
            configKey("role"),
            `be ${fixed} on ${what} (the stack name fixes the role: with another role this stack would plan resources under the physical names that role's own stack owns)`,
            configured,
        );
        return undefined;
    }
    const role = configured ?? raw.stack;
    if ((STACK_ROLES as readonly string[]).includes(role)) {
        return role as StackRole;
    }
    const field =
        configured === undefined ? `${configKey("role")} (taken from the stack name)` : configKey("role");
    problems.add(field, `be one of ${STACK_ROLES.join(", ")}`, role);
    return undefined;
}

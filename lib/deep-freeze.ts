/**
 * Freezes `value` and everything reachable from it, and returns it: a result shared by every
 * caller in a process (a memoised offline run) can then not be changed by one of them behind
 * the others' backs; a caller that tries fails at once (strict mode) instead of silently.
 */
export function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        Object.values(value).forEach(deepFreeze);
    }
    return value;
}

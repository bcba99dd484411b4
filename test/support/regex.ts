/**
 * Escapes `text` for use inside a regular expression, so a path, a JSON value or a command
 * line can be matched as it is within a larger pattern.
 */
export function literal(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A command line as an operator could paste it into a POSIX shell: arguments with spaces or quotes are single-quoted. */
export function formatCommandLine(command: string, args: readonly string[]): string {
    return [command, ...args]
        .map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : `'${part.replace(/'/g, `'\\''`)}'`))
        .join(" ");
}

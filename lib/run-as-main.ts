/**
 * Runs a CLI entry point as the process's main program: its resolved value is the exit
 * code; an unexpected throw prints the error with its stack and exits 1.
 */
export function runAsMain(main: (argv: readonly string[]) => Promise<number>): void {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: unknown) => {
            process.stderr.write(
                `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
            );
            process.exit(1);
        },
    );
}

/** Something text can be written to: process.stdout/stderr, or a test's collector. */
export interface TextSink {
    /** Writes `text` as is. */
    write(text: string): unknown;
}

/** Where a CLI entry point writes; tests pass their own sinks. */
export interface CliIo {
    /** Receives the command's result. Default: process.stdout. */
    readonly stdout?: TextSink;
    /** Receives progress and errors. Default: process.stderr. */
    readonly stderr?: TextSink;
}

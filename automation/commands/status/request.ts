/*
 * The request of `status` and its formats, in a module of their own: the definition
 * (./definition.ts) loads the command (./command.ts) lazily, so the command must not import
 * the definition.
 */

/** Output formats of the status command. */
export const STATUS_FORMATS = ["text", "json"] as const;

/** One of {@link STATUS_FORMATS}. */
export type StatusFormat = (typeof STATUS_FORMATS)[number];

/** What `npm run dr -- status` is asked. */
export interface StatusRequest {
    /**
     * `text` (an aligned table for people) or `json` (the status document of document.ts
     * alone, for the scheduled run to keep).
     * @default "text"
     */
    readonly format: StatusFormat;
}

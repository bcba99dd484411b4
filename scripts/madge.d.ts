/**
 * The part of madge 8's API (lib/api.js) that scripts/check-imports.ts uses; madge ships no
 * type declarations and there is no @types package for version 8.
 */
declare module "madge" {
    /** Options of {@link madge}, as lib/api.js and lib/tree.js read them. */
    interface MadgeConfig {
        /** Directory the module ids are relative to. @default the common directory of the paths */
        readonly baseDir?: string;
        /** Extensions (without the dot) of the files walked in a directory. @default ["js"] */
        readonly fileExtensions?: readonly string[];
        /** tsconfig.json to resolve TypeScript imports with. @default none */
        readonly tsConfig?: string;
        /** Options per module type, handed to precinct's detectives (`ts` for TypeScript). @default none */
        readonly detectiveOptions?: Record<string, Record<string, unknown>>;
        /** Module ids to drop from the graph, as regular expressions. @default none */
        readonly excludeRegExp?: readonly (string | RegExp)[];
    }

    /** The dependency graph madge built. */
    interface MadgeResult {
        /** Every module id (relative to `baseDir`) and the ids it imports. */
        obj(): Record<string, string[]>;
        /** Each import cycle, as the module ids along it. */
        circular(): string[][];
        /** What could not be resolved: `skipped` holds the import specifiers. */
        warnings(): { skipped: string[] };
    }

    /** Builds the graph of the files (or every file of the directories) in `paths`. */
    function madge(paths: string | readonly string[], config?: MadgeConfig): Promise<MadgeResult>;

    export = madge;
}

import * as assert from "assert";
import { didYouMean, nearest } from "../../../automation/cli/suggest";

const FLAGS = ["dry-run", "yes", "journal", "report-dir", "restore-time", "failure-time", "simulate", "help"];

describe("automation/cli/suggest: did you mean", () => {
    it("suggests the flag a slip of the fingers was meant to be", () => {
        const cases: [string, string][] = [
            ["--dryrun", "dry-run"],
            ["--dyr-run", "dry-run"],
            ["--dry-runn", "dry-run"],
            ["--dryRun", "dry-run"],
            ["--Dry-Run=x", "dry-run"],
            ["--no-dry-run", "dry-run"],
            ["--noyes", "yes"],
            ["--restore-tme", "restore-time"],
            ["--failure-tim", "failure-time"],
            ["--jornal", "journal"],
            ["--rep", "report-dir"],
            ["-y", "yes"],
            ["--hepl", "help"],
        ];
        for (const [given, meant] of cases) {
            assert.strictEqual(nearest(given, FLAGS), meant, given);
        }
    });

    it("suggests nothing for a word that is not near any", () => {
        for (const given of ["--bogus", "--x", "--force", "--region", ""]) {
            assert.strictEqual(nearest(given, FLAGS), undefined, given);
        }
        assert.strictEqual(nearest("--yes", []), undefined);
    });

    it("words the hint, or leaves it out", () => {
        assert.strictEqual(didYouMean("--dryrun", FLAGS, "--"), "; did you mean --dry-run?");
        assert.strictEqual(didYouMean("fail-over", ["failover", "status"]), "; did you mean failover?");
        assert.strictEqual(didYouMean("--bogus", FLAGS, "--"), "");
    });
});

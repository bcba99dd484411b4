import * as assert from "assert";
import { OptionValues } from "../../../../automation/commands/definition";
import { applicationsIn } from "../../../../automation/commands/restore/argocd/applications";
import { restoreArgocdDefinition } from "../../../../automation/commands/restore/argocd/definition";
import {
    HEALTHY_EXPORT_SEARCH_LIMIT,
    unhealthyReason,
} from "../../../../automation/commands/restore/argocd/healthy-export";
import { argocdExportPrefix } from "../../../../lib/artifacts";
import { bucketName, clusterName } from "../../../../lib/naming";
import { filesUnder } from "../../../support/commands";
import { assertNothingDeleted } from "../../../support/nothing-deleted";
import { CONFIG, dispose, Harness, harness, NOW, runWith, text } from "./support";

const PREFIX = argocdExportPrefix(clusterName(CONFIG.prefix, "primary"));
/** The seeded newest export: the simulation's primary cluster, every Application Healthy. */
const SEEDED = `${PREFIX}20261125T024900Z.yaml`;
const IMPORT = "argocd admin import -n argocd - --context webank-primary";

/** An export as `argocd admin export` writes it (status kept: argo-cd backup.go), one Application per health. */
function exportWith(...applications: [name: string, health: string | undefined][]): string {
    return applications
        .map(([name, health]) =>
            [
                "apiVersion: argoproj.io/v1alpha1",
                "kind: Application",
                "metadata:",
                `  name: ${name}`,
                "spec:",
                "  project: default",
                ...(health
                    ? ["status:", "  health:", `    status: ${health}`, "  sync:", "    status: Synced"]
                    : []),
            ].join("\n"),
        )
        .join("\n---\n");
}

describe("automation/commands/restore/argocd: the newest export of a healthy cluster", () => {
    let h: Harness;
    beforeEach(() => {
        h = harness("restore-argocd-health-");
    });
    afterEach(() => dispose(h));
    // The simulation's own cluster tools import into the primary cluster.
    const run = (values: OptionValues = {}) =>
        runWith(h, restoreArgocdDefinition, { context: "webank-primary", ...values });
    const bucket = () => bucketName(CONFIG.prefix, "artifacts", h.world.accountId, CONFIG.homeRegion);
    /** Puts an export written `secondsAgo` (the seeded one is 10 minutes old). */
    const put = (stamp: string, body: string, secondsAgo: number) =>
        h.world.home.put(
            bucket(),
            `${PREFIX}${stamp}.yaml`,
            body,
            new Date(NOW.getTime() - secondsAgo * 1000),
        );
    const imported = () => h.world.commandsRun.filter((c) => c === IMPORT).length;

    it("passes over newer exports of a degraded or half-restored Argo CD and imports the newest healthy one", async () => {
        put("20261125T025400Z", exportWith(["platform", "Healthy"], ["payments", "Degraded"]), 300);
        put("20261125T025800Z", "", 60);
        assert.strictEqual(await run(), 0, text(h));
        const out = text(h);
        assert.match(
            out,
            /passed over argocd-exports\/webank-primary\/20261125T025800Z\.yaml: it holds no Argo CD Application/,
        );
        assert.match(
            out,
            /passed over argocd-exports\/webank-primary\/20261125T025400Z\.yaml: 1 of its 2 Applications were not healthy when it was written: payments Degraded/,
        );
        assert.match(out, /passed over 2 newer export\(s\) not of a healthy cluster/);
        assert.ok(out.includes(`Argo CD export: s3://${bucket()}/${SEEDED}`), out);
        assert.strictEqual(imported(), 1);
        assertNothingDeleted(h.world);
    });

    it("refuses, importing nothing, when none of the newest exports is of a healthy cluster, and names the way out", async () => {
        for (let i = 0; i < HEALTHY_EXPORT_SEARCH_LIMIT; i += 1) {
            const seconds = 540 - i * 10;
            put(
                `20261125T0250${String(i).padStart(2, "0")}Z`,
                exportWith(["platform", "Progressing"]),
                seconds,
            );
        }
        assert.strictEqual(await run(), 1, text(h));
        const out = text(h);
        assert.match(
            out,
            new RegExp(
                `none of the ${HEALTHY_EXPORT_SEARCH_LIMIT} newest exports under s3://${bucket()}/${PREFIX}`,
            ),
        );
        assert.match(out, /and 45 more, printed above/);
        assert.match(
            out,
            /Choose one knowingly with --export-key; list them with: aws s3 ls s3:\/\/webank-artifacts-/,
        );
        assert.strictEqual(imported(), 0);
        assert.deepStrictEqual(filesUnder(h.dir), [], "a run refused in its plan writes nothing");
        assertNothingDeleted(h.world);
    });

    it("imports an export named with --export-key even when its cluster was not healthy, and warns", async () => {
        put("20261125T025400Z", exportWith(["platform", "Degraded"]), 300);
        assert.strictEqual(await run({ "export-key": `${PREFIX}20261125T025400Z.yaml` }), 0, text(h));
        assert.match(
            text(h),
            /WARNING: the chosen export is not of a healthy cluster: 1 of its 1 Applications were not healthy when it was written: platform Degraded/,
        );
        assert.ok(!text(h).includes("passed over"));
        assert.strictEqual(imported(), 1);
    });

    it("judges health by every Application: Healthy and Suspended are of a working cluster, anything else or no status is not", () => {
        const of = (...apps: [string, string | undefined][]) => applicationsIn(exportWith(...apps), "test");
        assert.strictEqual(unhealthyReason(of(["a", "Healthy"], ["b", "Suspended"])), undefined);
        for (const state of ["Progressing", "Degraded", "Missing", "Unknown", "healthy"]) {
            assert.match(
                unhealthyReason(of(["a", "Healthy"], ["b", state])) ?? "",
                new RegExp(`1 of its 2 .*: b ${state}$`),
            );
        }
        assert.match(unhealthyReason(of(["a", undefined])) ?? "", /a \(no status\)$/);
        assert.strictEqual(unhealthyReason([]), "it holds no Argo CD Application");
    });
});

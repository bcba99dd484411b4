import * as assert from "assert";
import { OfflineRun } from "../../offline/engine";
import {
    ARGOCD_NAMESPACE,
    ARGOCD_SECRET_NAME,
    exportedByArgocdAdmin,
    SecretIdentity,
} from "../../lib/argocd";
import { OIDC_SECRET_KEY } from "../../components/argocd-values";
import { inputsOf, named, ofType, runStack } from "../support/offline";

/*
 * `argocd admin export` takes only the Secrets argo-cd v3.2.0's admin.go `isArgoCDSecret` selects
 * (cmd/argocd/commands/admin/backup.go): every Secret the Argo CD configuration of the plan
 * references must pass that rule, or a restore would come back without it.
 */
describe("components/argocd: every referenced Secret is in the export", () => {
    let run: OfflineRun;
    before(async () => {
        run = await runStack(
            "primary",
            {
                "webank:argocdOidc": '{"issuer": "https://login.webank.example", "clientId": "argocd"}',
                "webank:argocdOidcClientSecret": "client-secret-value",
                "webank:platformRepoToken": "repo-token-value",
            },
            {},
            ["webank:argocdOidcClientSecret", "webank:platformRepoToken"],
        );
    });

    /** The Secrets the plan's Argo CD configuration references: declared ones, and the chart's argocd-secret holding SSO. */
    function referencedSecrets(): { why: string; secret: SecretIdentity }[] {
        const declared = ofType(run, "kubernetes:core/v1:Secret")
            .map((r) => inputsOf(r).metadata)
            .filter((m) => m.namespace === ARGOCD_NAMESPACE)
            .map((m) => ({ why: `Secret ${m.name}`, secret: m as SecretIdentity }));
        const values = inputsOf(named(run, "kubernetes:helm.sh/v3:Release", "webank-primary-argocd")).values;
        // The chart renders configs.secret.extra into argocd-secret unless createSecret is false
        // (argo-helm charts/argo-cd templates/argocd-configs/argocd-secret.yaml, argo-cd-9.1.0).
        assert.notStrictEqual(values.configs.secret.createSecret, false);
        assert.ok(
            OIDC_SECRET_KEY in values.configs.secret.extra,
            "the SSO client secret is in argocd-secret",
        );
        assert.match(
            values.configs.cm["oidc.config"],
            new RegExp(`clientSecret: \\$${OIDC_SECRET_KEY}$`, "m"),
        );
        const sso = {
            why: "SSO client secret",
            secret: { name: ARGOCD_SECRET_NAME, namespace: ARGOCD_NAMESPACE },
        };
        return [...declared, sso];
    }

    it("labels the repository Secret and keeps the SSO secret in argocd-secret, so the export takes both", () => {
        const secrets = referencedSecrets();
        assert.deepStrictEqual(
            secrets.map((s) => s.why),
            ["Secret platform-repository", "SSO client secret"],
        );
        // The job exports the namespace the rule is applied to.
        const job = inputsOf(named(run, "kubernetes:batch/v1:CronJob", "webank-primary-argocd-export"));
        const exportCommand = job.spec.jobTemplate.spec.template.spec.initContainers[0].command.join(" ");
        assert.match(exportCommand, new RegExp(`argocd admin export -n ${ARGOCD_NAMESPACE} `));
        for (const { why, secret } of secrets) {
            assert.ok(exportedByArgocdAdmin(secret), `${why} would be left out of argocd admin export`);
        }
    });

    it("applies backup.go's rule: Argo CD's label or name in its namespace, nothing else", () => {
        const partOfOnly = {
            name: "sso",
            namespace: ARGOCD_NAMESPACE,
            labels: { "app.kubernetes.io/part-of": "argocd" },
        };
        assert.strictEqual(exportedByArgocdAdmin(partOfOnly), false);
        const labelled = {
            name: "r",
            namespace: ARGOCD_NAMESPACE,
            labels: { "argocd.argoproj.io/secret-type": "" },
        };
        assert.strictEqual(exportedByArgocdAdmin(labelled), true);
        assert.strictEqual(exportedByArgocdAdmin({ ...labelled, namespace: "default" }), false);
        const managed = {
            name: "c",
            namespace: ARGOCD_NAMESPACE,
            annotations: { "managed-by": "argocd.argoproj.io" },
        };
        assert.strictEqual(exportedByArgocdAdmin(managed), true);
    });

    it("creates the DR side's export CronJob suspended, the primary's running", async () => {
        const cronOf = (r: OfflineRun, name: string) =>
            inputsOf(named(r, "kubernetes:batch/v1:CronJob", `${name}-argocd-export`)).spec;
        assert.strictEqual(cronOf(run, "webank-primary").suspend, false);
        const dr = await runStack("dr", { "webank:posture": "warm" }, { primary: run.outputs });
        assert.strictEqual(cronOf(dr, "webank-dr").suspend, true, "no export before restore argocd verifies");
    });
});

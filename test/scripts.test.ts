import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../config/stack-files";
import { makeTempDir, removeTempDir } from "./support/temp-dir";

const SCRIPT = path.join(PROJECT_ROOT, "scripts", "publish-chart.sh");
const ENV = {
    ...process.env,
    ARTIFACT_BUCKET: "webank-artifacts-123456789012-us-east-1",
    KMS_KEY_ARN: "arn:aws:kms:us-east-1:123456789012:key/mrk-1",
    CHART_REPOSITORY_URL: "123456789012.dkr.ecr.us-east-1.amazonaws.com/webank/charts",
};

/** Runs the publish script on a chart with `chartYaml`, in dry-run mode. */
function publish(chartYaml: string | undefined, extra: string[] = ["--dry-run"]) {
    const dir = makeTempDir("chart-");
    if (chartYaml !== undefined) {
        fs.writeFileSync(path.join(dir, "Chart.yaml"), chartYaml);
    }
    const result = spawnSync("bash", [SCRIPT, dir, ...extra], { env: ENV, encoding: "utf8" });
    removeTempDir(dir);
    return result;
}

describe("scripts/publish-chart.sh", () => {
    it("uploads the tarball to the artifact store with SSE-KMS and pushes it to ECR", () => {
        const result = publish("apiVersion: v2\nname: payments\nversion: 1.4.2\n");
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /\+ helm package /);
        assert.match(
            result.stdout,
            /aws s3api put-object --bucket webank-artifacts-123456789012-us-east-1 --key helm-charts\/payments\/payments-1\.4\.2\.tgz .* --server-side-encryption aws:kms --ssekms-key-id arn:aws:kms:us-east-1:123456789012:key\/mrk-1/,
        );
        assert.match(
            result.stdout,
            /helm push .*payments-1\.4\.2\.tgz oci:\/\/123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/webank\/charts$/m,
        );
    });

    it("refuses a directory without a Chart.yaml, naming it", () => {
        const result = publish(undefined);
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /must be a directory with a Chart.yaml/);
    });

    it("refuses a chart without a version", () => {
        const result = publish("apiVersion: v2\nname: payments\n");
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /must set name and version; got name='payments' version=''/);
    });

    it("refuses an unknown option", () => {
        assert.strictEqual(publish("apiVersion: v2\nname: a\nversion: 1.0.0\n", ["--force"]).status, 2);
    });
});

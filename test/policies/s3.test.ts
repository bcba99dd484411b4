// The S3 bucket policies on a complete stack: each case of s3-cases.ts removes one setting
// a bucket keeps and expects its policy to name the culprit. Previews: s3-preview.test.ts.
import { describeCases } from "./s3-harness";
import { CASES } from "./s3-cases";

describe("policies: S3 buckets", () => describeCases(CASES));

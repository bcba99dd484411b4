#!/usr/bin/env bash
# Publishes a Helm chart to both recovery locations, so a release can be reinstalled even
# when the chart's source or registry is gone:
#   1. the chart tarball to the artifact store (versioned, replicated to the DR region),
#      s3://<artifact bucket>/helm-charts/<name>/<name>-<version>.tgz, with SSE-KMS;
#   2. the same tarball to ECR as an OCI artifact (oci://<registry>/<prefix>/charts/<name>),
#      a repository created on push and replicated by ECR to the DR region.
# A version that is already published is never overwritten (ECR tags are immutable, and
# the S3 upload is refused when the key exists).
#
# Usage: scripts/publish-chart.sh <chart-dir> [--stack primary] [--dry-run]
# Needs helm, aws and pulumi on PATH (pulumi only to read the stack outputs; set
# ARTIFACT_BUCKET, KMS_KEY_ARN and CHART_REPOSITORY_URL to skip it).
set -euo pipefail

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }

chart_dir=""
stack="primary"
dry_run=false
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) stack="${2:?--stack needs a stack name}"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "error: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) chart_dir="$1"; shift ;;
  esac
done
if [ -z "$chart_dir" ] || [ ! -f "$chart_dir/Chart.yaml" ]; then
  echo "error: <chart-dir> must be a directory with a Chart.yaml; got '${chart_dir}'" >&2
  exit 2
fi

# Read name and version from Chart.yaml (top-level keys only).
name=$(sed -n 's/^name:[[:space:]]*"\{0,1\}\([^"[:space:]]*\)"\{0,1\}[[:space:]]*$/\1/p' "$chart_dir/Chart.yaml" | head -n 1)
version=$(sed -n 's/^version:[[:space:]]*"\{0,1\}\([^"[:space:]]*\)"\{0,1\}[[:space:]]*$/\1/p' "$chart_dir/Chart.yaml" | head -n 1)
if [ -z "$name" ] || [ -z "$version" ]; then
  echo "error: $chart_dir/Chart.yaml must set name and version; got name='${name}' version='${version}'" >&2
  exit 2
fi

output() { pulumi stack output --stack "$stack" "$1"; }
bucket="${ARTIFACT_BUCKET:-$(output artifactBucketName)}"
key_arn="${KMS_KEY_ARN:-$(output dataKeyArn)}"
repository_url="${CHART_REPOSITORY_URL:-$(output chartRepositoryUrl)}"
registry="${repository_url%%/*}"
region=$(echo "$registry" | cut -d. -f4)
tarball="$name-$version.tgz"
s3_key="helm-charts/$name/$tarball"

run() {
  echo "+ $*"
  if [ "$dry_run" = false ]; then "$@"; fi
}

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
echo "publishing chart $name $version from $chart_dir (stack $stack)"
run helm package "$chart_dir" --destination "$workdir"
if [ "$dry_run" = false ] && aws s3api head-object --bucket "$bucket" --key "$s3_key" >/dev/null 2>&1; then
  echo "error: s3://$bucket/$s3_key already exists; bump the chart version instead of overwriting it" >&2
  exit 1
fi
run aws s3api put-object --bucket "$bucket" --key "$s3_key" --body "$workdir/$tarball" \
  --server-side-encryption aws:kms --ssekms-key-id "$key_arn"
# shellcheck disable=SC2016 # the password is piped, never on the command line
if [ "$dry_run" = false ]; then
  aws ecr get-login-password --region "$region" | helm registry login --username AWS --password-stdin "$registry"
else
  echo "+ aws ecr get-login-password --region $region | helm registry login --username AWS --password-stdin $registry"
fi
run helm push "$workdir/$tarball" "oci://$repository_url"
echo "published s3://$bucket/$s3_key and oci://$repository_url/$name:$version"

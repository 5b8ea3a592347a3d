// The media bucket in infra/template.yaml as large files and videos need it:
// the API may list and abort multipart uploads under u/ only, abandoned
// uploads are aborted by the bucket itself, and the SPA may send Range and read
// the headers parts and ranged reads answer with. Read from the template's text
// (CloudFormation's tags are not plain YAML); cfn-lint checks the shape.
// Run by `cargo xtask check-infra`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resource, template } from './template-text.mjs';

test('the API may resume and cancel multipart uploads, under u/ only', () => {
  const role = template.slice(template.indexOf('- Sid: Photos'));
  const statement = role.slice(0, role.indexOf('- Sid:', 5));
  for (const action of ['s3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload']) {
    assert.ok(statement.includes(`- ${action}\n`), `${action} in the Photos statement`);
  }
  assert.match(statement, /Resource: !Sub '\$\{MediaBucket\.Arn\}\/u\/\*'/, 'users\' keys only');
  assert.ok(!/s3:\*|s3:ListBucketMultipartUploads/.test(statement), 'nothing broader');
});

test('abandoned multipart uploads are aborted by the bucket', () => {
  const bucket = resource('MediaBucket');
  const rule = /AbortIncompleteMultipartUpload:\s*\n\s*DaysAfterInitiation: (\d+)/.exec(bucket);
  assert.ok(rule, 'an abort rule');
  assert.ok(Number(rule[1]) >= 1 && Number(rule[1]) <= 7, `after ${rule[1]} days`);
});

test('the SPA may send Range and read ETag and Content-Range', () => {
  const bucket = resource('MediaBucket');
  const allowed = /AllowedHeaders: \[([^\]]*)\]/.exec(bucket)?.[1].split(',').map((h) => h.trim().toLowerCase());
  const exposed = /ExposedHeaders: \[([^\]]*)\]/.exec(bucket)?.[1].split(',').map((h) => h.trim().toLowerCase());
  assert.ok(allowed?.includes('range'), `allowed: ${allowed}`);
  for (const header of ['etag', 'content-range', 'accept-ranges']) {
    assert.ok(exposed?.includes(header), `${header} exposed: ${exposed}`);
  }
});

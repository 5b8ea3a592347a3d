// The trash's purge in infra/template.yaml as lambda-index relies on it: the
// API's own code run under SHOEBOX_TASK=purge, every hour, for longer than its
// 10 minutes of work (lambda-index/src/main.rs PURGE_BUDGET), with a role that
// can delete photos' objects and nothing else in the bucket. Run by
// `cargo xtask check-infra`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resource } from './template-text.mjs';

test('the purge is the API code under SHOEBOX_TASK=purge, run every hour', () => {
  const purge = resource('PurgeFunction');
  const api = resource('ApiFunction');
  assert.match(purge, /\n\s*SHOEBOX_TASK: purge\n/);
  for (const line of ['S3Bucket: !Ref ApiCodeBucket', 'S3Key: !Ref ApiCodeKey']) {
    assert.ok(purge.includes(line) && api.includes(line), `both run ${line}`);
  }
  const timeout = Number(/\n\s*Timeout: (\d+)\n/.exec(purge)[1]);
  assert.ok(timeout > 10 * 60 && timeout <= 900, `a run's 10 minutes fit in ${timeout} s`);
  assert.match(purge, /SHOEBOX_BUCKET_URL: /);
  assert.match(purge, /SHOEBOX_TABLE: !Ref Table/);
  assert.doesNotMatch(purge, /SHOEBOX_CURSOR_KEY|SHOEBOX_ORIGIN_SECRET/, 'no secret it does not need');

  const schedule = resource('PurgeSchedule');
  assert.match(schedule, /ScheduleExpression: rate\(1 hour\)/);
  assert.match(schedule, /Arn: !GetAtt PurgeFunction\.Arn/);
  const permission = resource('PurgeSchedulePermission');
  assert.match(permission, /Principal: events\.amazonaws\.com/);
  assert.match(permission, /SourceArn: !GetAtt PurgeSchedule\.Arn/);
});

test("the purge's role deletes photos' objects and writes nothing else to the bucket", () => {
  const role = resource('PurgeRole');
  const s3 = [...role.matchAll(/s3:\w+/g)].map((match) => match[0]);
  assert.deepEqual(s3, ['s3:DeleteObject']);
  assert.match(role, /Resource: !Sub '\$\{MediaBucket\.Arn\}\/u\/\*'/);
  assert.doesNotMatch(role, /s3:\*|dynamodb:\*|NotResource/);
});

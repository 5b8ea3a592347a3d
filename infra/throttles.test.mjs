// The API stage's throttles in infra/template.yaml: uploads and commits have
// limits of their own below the stage's, so a backup of thousands of photos
// leaves room for pages, albums and share links. Read from the template's
// text (CloudFormation's tags are not plain YAML); cfn-lint checks the shape.
// Run by `cargo xtask check-infra`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resource, template } from './template-text.mjs';

/** `{ burst, rate }` of the settings block starting at `marker` in `text`. */
function limits(text, marker) {
  const at = text.indexOf(marker);
  assert.notEqual(at, -1, `settings for ${marker}`);
  const block = text.slice(at, at + 200);
  return {
    burst: Number(/ThrottlingBurstLimit: (\d+)/.exec(block)?.[1]),
    rate: Number(/ThrottlingRateLimit: (\d+)/.exec(block)?.[1]),
  };
}

test('uploads and commits are throttled below the whole stage, on routes of their own', () => {
  const stage = resource('ApiStage');
  const whole = limits(stage, 'DefaultRouteSettings:');
  for (const route of ['POST /api/uploads', 'POST /api/photos']) {
    const own = limits(stage, `'${route}':`);
    assert.ok(own.rate > 0 && own.rate * 2 <= whole.rate, `${route}: ${own.rate}/s of ${whole.rate}/s`);
    assert.ok(own.burst > 0 && own.burst < whole.burst, `${route}: burst ${own.burst} of ${whole.burst}`);
    const declared = template.includes(`RouteKey: '${route}'`);
    assert.ok(declared, `${route} is a route of its own (settings apply to declared routes only)`);
  }
});

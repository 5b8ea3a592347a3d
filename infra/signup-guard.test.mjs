// The pre-sign-up trigger of infra/template.yaml (SignUpGuardFunction), run
// under python3 as Lambda runs it: only addresses on the allow-list that
// Google says are verified may sign up. Run by `cargo xtask check-infra`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { literalBlock } from './template-text.mjs';

/** Runs the handler on each of `attributes`; whether each sign-up was admitted. */
function admitted(attributes) {
  const driver = `${literalBlock('ZipFile')}

import json, sys
answers = []
for attributes in json.loads(sys.stdin.read()):
    event = {"triggerSource": "PreSignUp_ExternalProvider", "request": {"userAttributes": attributes}, "response": {}}
    try:
        handler(event, None)
        answers.append(True)
    except Exception:
        answers.append(False)
print(json.dumps(answers))
`;
  const run = spawnSync('python3', ['-c', driver], {
    input: JSON.stringify(attributes),
    env: { ...process.env, ALLOWED_EMAILS: 'Owner@Example.com, partner@example.com' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

test('an address on the allow-list that Google verified may sign up, in any case', () => {
  assert.deepEqual(
    admitted([
      { email: 'owner@example.com', email_verified: 'true' },
      { email: ' PARTNER@example.com ', email_verified: 'true' },
    ]),
    [true, true],
  );
});

// On main before this change, an identity without email_verified was admitted.
test('an unverified address, or one whose verification is not said, is refused', () => {
  assert.deepEqual(
    admitted([
      { email: 'owner@example.com', email_verified: 'false' },
      { email: 'owner@example.com' },
      { email: 'owner@example.com', email_verified: '' },
    ]),
    [false, false, false],
  );
});

test('anyone else is refused', () => {
  assert.deepEqual(
    admitted([
      { email: 'stranger@example.com', email_verified: 'true' },
      { email: '', email_verified: 'true' },
      {},
    ]),
    [false, false, false],
  );
});

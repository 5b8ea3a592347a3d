// The originals' storage class in infra/template.yaml (OriginalsStorageClass)
// as the API relies on it: DEEP_ARCHIVE may be chosen, and with it photos'
// originals (tagged shoebox-kind=original) go to Deep Archive while what plays
// from its original (shoebox-kind=playable: videos, Live Photos' videos, motion
// photos) stays in GLACIER_IR; the API may ask for restores, under u/ only, and
// is told the class. The lifecycle rules' conditions are worked out for every
// allowed class from the template's text (CloudFormation's tags are not plain
// YAML); cfn-lint checks the shape. Run by `cargo xtask check-infra`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resource, template } from './template-text.mjs';

const lines = template.split('\n');

/** The lines of the top-level section `name` (Parameters, Conditions, ...). */
function section(name) {
  const start = lines.indexOf(`${name}:`);
  assert.notEqual(start, -1, `the template has ${name}`);
  const end = lines.findIndex((line, at) => at > start && /^\S/.test(line));
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

/** The classes OriginalsStorageClass allows. */
function allowedClasses() {
  const parameters = section('Parameters').join('\n');
  const at = parameters.indexOf('  OriginalsStorageClass:');
  assert.notEqual(at, -1, 'the OriginalsStorageClass parameter');
  const allowed = /AllowedValues: \[([^\]]*)\]/.exec(parameters.slice(at));
  assert.ok(allowed, 'its AllowedValues');
  return allowed[1].split(',').map((value) => value.trim());
}

/**
 * A flow-style expression (`!If [Archive, GLACIER_IR, !Ref OriginalsStorageClass]`)
 * as a tree: a scalar, a list, or `{ tag, arg }`.
 */
function parse(text) {
  const tokens = text.match(/!\w+|\[|\]|,|[^\s[\],]+/g);
  let at = 0;
  const expression = () => {
    const token = tokens[at++];
    if (token.startsWith('!')) return { tag: token.slice(1), arg: expression() };
    if (token !== '[') return token.replace(/^'(.*)'$/, '$1');
    const items = [];
    while (tokens[at] !== ']') {
      items.push(expression());
      if (tokens[at] === ',') at++;
    }
    at++;
    return items;
  };
  const tree = expression();
  assert.equal(at, tokens.length, `all of ${text} is understood`);
  return tree;
}

/** `text`'s value when OriginalsStorageClass is `chosen`. */
function evaluate(text, chosen) {
  const value = (node) => {
    if (typeof node === 'string' || Array.isArray(node)) return node;
    switch (node.tag) {
      case 'Ref':
        assert.equal(node.arg, 'OriginalsStorageClass', `only the class is known here, not ${node.arg}`);
        return chosen;
      case 'Equals':
        return value(node.arg[0]) === value(node.arg[1]);
      case 'Not':
        return !value(node.arg[0]);
      case 'If':
        return condition(node.arg[0], chosen) ? value(node.arg[1]) : value(node.arg[2]);
      default:
        assert.fail(`!${node.tag} is not understood by this test`);
    }
  };
  return value(parse(text));
}

/** Whether the condition `name` holds when OriginalsStorageClass is `chosen`. */
function condition(name, chosen) {
  const line = section('Conditions').find((line) => line.startsWith(`  ${name}: `));
  assert.ok(line, `the condition ${name}, on one line`);
  return evaluate(line.slice(`  ${name}: `.length), chosen);
}

/**
 * The media bucket's lifecycle rule `id` when OriginalsStorageClass is `chosen`:
 * `{ tag, storageClass, days }`, or null when its condition leaves it out.
 */
function rule(id, chosen) {
  const bucket = resource('MediaBucket').split('\n');
  const start = bucket.findIndex((line) => line.trim() === `- Id: ${id}`);
  assert.notEqual(start, -1, `the rule ${id}`);
  // `- !If`, `- Condition`, `- Id: ...`: the rule only when the condition holds.
  if (bucket[start - 2].trim() === '- !If') {
    const name = bucket[start - 1].trim().replace(/^- /, '');
    if (!condition(name, chosen)) return null;
  }
  const indent = bucket[start].indexOf('-');
  const end = bucket.findIndex((line, at) => at > start && line.trim() && line.search(/\S/) <= indent);
  const body = bucket.slice(start, end === -1 ? undefined : end).join('\n');
  const storageClass = /StorageClass: (.+)/.exec(body);
  assert.ok(storageClass, `${id} moves objects`);
  return {
    tag: /TagFilters:\s*\n\s*- Key: (\S+)\s*\n\s*Value: (\S+)/.exec(body)?.slice(1).join('='),
    storageClass: evaluate(storageClass[1], chosen),
    days: /TransitionInDays: (.+)/.exec(body)?.[1],
  };
}

test('DEEP_ARCHIVE may be chosen, next to the classes before it', () => {
  const allowed = allowedClasses();
  for (const storageClass of ['STANDARD', 'STANDARD_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'DEEP_ARCHIVE']) {
    assert.ok(allowed.includes(storageClass), `${storageClass} in ${allowed}`);
  }
});

test('with DEEP_ARCHIVE, photos\' originals are archived and what plays stays in GLACIER_IR', () => {
  assert.deepEqual(rule('move-originals', 'DEEP_ARCHIVE'), {
    tag: 'shoebox-kind=original',
    storageClass: 'DEEP_ARCHIVE',
    days: '!Ref OriginalsTransitionDays',
  });
  assert.deepEqual(rule('move-playable-originals', 'DEEP_ARCHIVE'), {
    tag: 'shoebox-kind=playable',
    storageClass: 'GLACIER_IR',
    days: '!Ref OriginalsTransitionDays',
  });
});

test('any other class takes every original there, and STANDARD moves nothing', () => {
  for (const chosen of allowedClasses().filter((value) => value !== 'DEEP_ARCHIVE')) {
    for (const [id, tag] of [
      ['move-originals', 'shoebox-kind=original'],
      ['move-playable-originals', 'shoebox-kind=playable'],
    ]) {
      const moved = rule(id, chosen);
      if (chosen === 'STANDARD') {
        assert.equal(moved, null, `no ${id} with STANDARD`);
      } else {
        assert.deepEqual(moved, { tag, storageClass: chosen, days: '!Ref OriginalsTransitionDays' }, `${id} with ${chosen}`);
      }
    }
  }
});

test('the API may ask for a restore, of users\' keys only, and is told the class', () => {
  const role = resource('ApiRole');
  const statements = role.split('- Sid: ').slice(1);
  const restoring = statements.filter((statement) => statement.includes('s3:RestoreObject'));
  assert.equal(restoring.length, 1, 'one statement allows restores');
  const resources = restoring[0].match(/\bResource: .*/g);
  assert.deepEqual(resources, ["Resource: !Sub '${MediaBucket.Arn}/u/*'"], 'under u/ only');
  assert.ok(!/s3:\*|NotResource/.test(restoring[0]), 'nothing broader');
  const everywhere = template.match(/s3:RestoreObject/g).length;
  assert.equal(everywhere, 1, 'no other role or policy may restore');

  const api = resource('ApiFunction');
  assert.match(api, /\n\s*SHOEBOX_ORIGINALS_CLASS: !Ref OriginalsStorageClass\n/);
  assert.match(api, /\n\s*SHOEBOX_ORIGINALS_AFTER_DAYS: !Ref OriginalsTransitionDays\n/);
});

// The template's text, and the code blocks inside it, for the tests that run
// that code as AWS runs it (CloudFormation's tags are not plain YAML, so the
// blocks are found by their key and indentation).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

export const template = readFileSync(new URL('./template.yaml', import.meta.url), 'utf8');

/** The literal block under the first `key: |`, with its common indentation removed. */
export function literalBlock(key) {
  const lines = template.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\s+${key}: \\|\\s*$`).test(line));
  assert.notEqual(start, -1, `the template has a ${key} block`);
  const indent = lines[start].search(/\S/);
  const body = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && line.search(/\S/) <= indent) break;
    body.push(line);
  }
  const dedent = Math.min(...body.filter((line) => line.trim()).map((line) => line.search(/\S/)));
  return body.map((line) => line.slice(dedent)).join('\n');
}

/** The lines of the resource `name`, up to the next resource. */
export function resource(name) {
  const lines = template.split('\n');
  const start = lines.findIndex((line) => line === `  ${name}:`);
  assert.notEqual(start, -1, `the template has ${name}`);
  const end = lines.findIndex((line, at) => at > start && /^ {2}\S/.test(line));
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

// Run with `pm plugin-test`: policy-guard in front of a real plugin (notes) in the real host.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertDenied, assertHookRegistered, assertToolResult, createTestHost, HookDeniedError } from 'pmkit/testing';

const plugin = fileURLToPath(new URL('..', import.meta.url));
const example = (name) => fileURLToPath(new URL(`../../${name}`, import.meta.url));
// notes gives the guard real tools to stand in front of (notes needs usage-analytics).
const dependencies = { notes: example('notes'), 'usage-analytics': example('usage-analytics') };
const config = {
  blockTools: ['notes.delete'],
  blockPatterns: [
    { pattern: '\\b\\d{4}[ -]?\\d{4}[ -]?\\d{4}[ -]?\\d{4}\\b', reason: 'card numbers may not be stored' },
    { pattern: 'secret', tool: 'notes.search', argument: 'query' },
  ],
};
const host = await createTestHost({ plugin, dependencies, config });
after(() => host.close());

test('the guard is registered for tool:before-call', () => {
  assertHookRegistered(host, 'tool:before-call');
});

test('a blocked tool is denied with the rule that blocked it, and never runs', async () => {
  const msg = await assertDenied(host.callTool('notes.delete', { id: '1' }), 'blocked by policy-guard');
  assert.match(msg, /the tool notes\.delete is blocked by policy \(notes\.delete\)/);
});

test('an argument matching a blocked pattern is denied with its reason', async () => {
  await assertDenied(host.callTool('notes.add', { text: 'card 4111 1111 1111 1111' }), 'card numbers may not be stored');
  const list = await host.callTool('notes.list', {});
  assert.doesNotMatch(JSON.stringify(list), /4111/, 'the denied note was not saved');
});

test('a pattern limited to one tool and argument blocks only there', async () => {
  await assertDenied(host.callTool('notes.search', { query: 'my secret' }), /argument 'query' matches the blocked pattern/);
  assertToolResult(await host.callTool('notes.add', { text: 'no secret here' }), { contains: 'Saved note' });
});

test('other calls are allowed', async () => {
  assertToolResult(await host.callTool('notes.add', { text: 'hello' }), { text: /^Saved note #\d+: hello$/ });
});

test('runHook shows the veto directly', async () => {
  await assert.rejects(host.runHook('tool:before-call', { tool: 'notes.delete', arguments: { id: '3' } }), (err) => {
    assert.ok(err instanceof HookDeniedError);
    assert.equal(err.plugin, 'policy-guard');
    return true;
  });
});

test('every decision is written to the audit log and shown by audit', async () => {
  const lines = (await readFile(join(host.dataDir, 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.some((l) => l.tool === 'notes.delete' && l.decision === 'deny' && l.rule === 'blockTools notes.delete'));
  assert.ok(lines.some((l) => l.tool === 'notes.add' && l.decision === 'allow'));
  const denied = await host.callTool('policy-guard.audit', { decision: 'deny' });
  assertToolResult(denied, { contains: 'deny  notes.delete (blockTools notes.delete)' });
  assert.ok(denied.structuredContent.entries.every((e) => e.decision === 'deny'));
  assert.equal((await host.callTool('policy-guard.audit', { limit: 1 })).structuredContent.entries.length, 1);
});

test('with auditAllowed off only denials are written', async () => {
  const quiet = await createTestHost({ plugin, dependencies, config: { blockTools: ['notes.delete'], auditAllowed: false } });
  try {
    await quiet.callTool('notes.list', {});
    await assertDenied(quiet.callTool('notes.delete', { id: '1' }));
    const { entries } = (await quiet.callTool('policy-guard.audit', {})).structuredContent;
    assert.deepEqual(entries.map((e) => e.decision), ['deny']);
  } finally {
    await quiet.close();
  }
});

test('an invalid pattern fails closed: every call is denied and the log says why', async () => {
  const broken = await createTestHost({ plugin, dependencies, config: { blockPatterns: [{ pattern: '(' }] } });
  try {
    await assertDenied(broken.callTool('notes.list', {}));
    assert.ok(broken.logs.some((l) => /not a valid regular expression/.test(l.message)), JSON.stringify(broken.logs));
  } finally {
    await broken.close();
  }
});

// Run with `pm plugin-test`: prompts rendered by the real host, as prompts/get renders them.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertManifestValid, createTestHost } from 'pmkit/testing';

const plugin = fileURLToPath(new URL('..', import.meta.url));
const host = await createTestHost({ plugin });
after(() => host.close());

const texts = (p) => p.messages.map((m) => m.content.text);

test('the manifest is valid and has no code and no tools', async () => {
  await assertManifestValid(plugin, { strict: true });
  assert.deepEqual(host.listTools(), []);
  assert.deepEqual(host.listPrompts(), ['prompt-pack.code-review', 'prompt-pack.commit-message', 'prompt-pack.summary']);
});

test('code-review puts the code in a fenced block in its language, with the focus', async () => {
  const p = await host.getPrompt('prompt-pack.code-review', { code: 'let x = 1', language: 'typescript', focus: 'security' });
  const [system, user] = texts(p);
  assert.match(system, /reviewing code written in typescript\./);
  assert.match(system, /Pay most attention to security\./);
  assert.equal(user, 'Please review this code:\n\n```typescript\nlet x = 1\n```');
  assert.deepEqual(p.messages.map((m) => m.role), ['user', 'user'], 'MCP has no system role: it is sent as a user message');
});

test('code-review without the optional arguments leaves them out', async () => {
  const [system] = texts(await host.getPrompt('prompt-pack.code-review', { code: 'x' }));
  assert.doesNotMatch(system, /written in|Pay most attention/);
});

test('code-review needs the code', async () => {
  await assert.rejects(host.getPrompt('prompt-pack.code-review', { language: 'go' }), /needs the argument 'code'/);
});

test('an argument the prompt does not declare is refused', async () => {
  await assert.rejects(host.getPrompt('prompt-pack.summary', { text: 'x', tone: 'dry' }), /has no argument 'tone'/);
});

test('commit-message asks for Conventional Commits only when a type is given', async () => {
  const plain = texts(await host.getPrompt('prompt-pack.commit-message', { diff: '+a' }));
  assert.doesNotMatch(plain[0], /Conventional/);
  const conv = texts(await host.getPrompt('prompt-pack.commit-message', { diff: '+a', type: 'fix', scope: 'cli', context: 'users saw a crash' }));
  assert.match(conv[0], /the subject starts with "fix\(cli\): "/);
  assert.match(conv[1], /Why: users saw a crash\n/);
  assert.match(conv[1], /```diff\n\+a\n```$/);
});

test('summary defaults to five bullet points and follows length and audience', async () => {
  const [def] = texts(await host.getPrompt('prompt-pack.summary', { text: 'Long text.' }));
  assert.match(def, /^Summarise the text below in at most five bullet points\./);
  assert.match(def, /---\nLong text\.\n---$/);
  const [custom] = texts(await host.getPrompt('prompt-pack.summary', { text: 'T', length: 'one sentence', audience: 'executives' }));
  assert.match(custom, /^Summarise the text below for executives in one sentence\./);
});

test('text is not HTML-escaped: code keeps its < and &', async () => {
  const [, user] = texts(await host.getPrompt('prompt-pack.code-review', { code: 'if (a < b && c) {}' }));
  assert.match(user, /if \(a < b && c\) \{\}/);
});

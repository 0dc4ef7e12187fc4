// Run with `pm plugin-test`: the real pm host, notes and its dependency usage-analytics in a temporary PM_HOME.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertToolResult, createTestHost, resultText } from 'pmkit/testing';

const plugin = fileURLToPath(new URL('..', import.meta.url));
const dependencies = { 'usage-analytics': fileURLToPath(new URL('../../usage-analytics', import.meta.url)) };
const host = await createTestHost({ plugin, dependencies });
after(() => host.close());

test('add saves a note and returns its id; list shows it newest first', async () => {
  const first = await host.callTool('notes.add', { text: 'Buy milk\nand bread', tags: ['shopping'] });
  assertToolResult(first, { text: /^Saved note #\d+: Buy milk$/ });
  const second = await host.callTool('notes.add', { title: 'Standup', text: 'Demo the marketplace on Friday', tags: ['work'] });
  const list = await host.callTool('notes.list', {});
  assertToolResult(list, { contains: 'Standup' });
  const ids = list.structuredContent.notes.map((n) => n.id);
  assert.deepEqual(ids.slice(0, 2), [second.structuredContent.id, first.structuredContent.id]);
});

test('list filters by tag', async () => {
  const list = await host.callTool('notes.list', { tag: 'shopping' });
  assert.deepEqual(list.structuredContent.notes.map((n) => n.title), ['Buy milk']);
});

test('search matches every word of the query in title, text or tags, ignoring case', async () => {
  assertToolResult(await host.callTool('notes.search', { query: 'MARKETPLACE friday' }), { text: /Standup \[work\]/ });
  assertToolResult(await host.callTool('notes.search', { query: 'marketplace milk' }), { text: 'No note matches "marketplace milk".' });
  assertToolResult(await host.callTool('notes.search', { query: 'shopping' }), { contains: 'Buy milk' });
});

test('notes://{id} reads one note as Markdown', async () => {
  const added = await host.callTool('notes.add', { title: 'Recipe', text: 'Flour, water, salt.', tags: ['food'] });
  const { id } = added.structuredContent;
  const res = await host.readResource(`notes://${id}`);
  assert.equal(res.contents[0].mimeType, 'text/markdown');
  assert.equal(res.contents[0].text, '# Recipe\n\nFlour, water, salt.\n\nTags: food\n');
});

test('reading a note that does not exist answers resource-not-found with its URI', async () => {
  await assert.rejects(host.readResource('notes://999999'), { code: -32002, message: 'Resource not found: notes://999999' });
});

test('delete removes the note; deleting it again says there is none', async () => {
  const { id } = (await host.callTool('notes.add', { text: 'temporary' })).structuredContent;
  assertToolResult(await host.callTool('notes.delete', { id }), { text: `Deleted note #${id}: temporary` });
  assertToolResult(await host.callTool('notes.delete', { id }), { isError: true, text: `there is no note #${id}; notes.list shows the ids` });
  assertToolResult(await host.callTool('notes.search', { query: 'temporary' }), { text: 'No note matches "temporary".' });
});

test('arguments are checked against the inputSchema before the plugin runs', async () => {
  const r = await host.callTool('notes.add', { title: 'no text' });
  assertToolResult(r, { isError: true, text: "invalid arguments for notes.add: 'text' is required" });
  const bad = await host.callTool('notes.add', { text: 'x', tags: ['Not A Tag'] });
  assertToolResult(bad, { isError: true, contains: "'tags/0'" });
});

test('stats counts notes and reads the notes tools usage from usage-analytics', async () => {
  const r = await host.callTool('notes.stats', {});
  assertToolResult(r, { text: /^\d+ note\(s\) of at most 1000; the notes tools were called \d+ time\(s\)$/ });
  const { notes, tools, toolCalls } = r.structuredContent;
  assert.equal(notes, (await host.callTool('notes.list', { limit: 500 })).structuredContent.notes.length);
  // Every call above went through usage-analytics' hooks: the four valid adds (refused arguments never reach a plugin or a hook).
  assert.ok(tools['notes.add'].calls === 4, resultText(r));
  assert.ok(toolCalls >= tools['notes.add'].calls);
  assert.ok(Object.keys(tools).every((t) => t.startsWith('notes.')));
});

test('maxNotes from the config caps the number of notes', async () => {
  const small = await createTestHost({ plugin, dependencies, config: { maxNotes: 2 } });
  try {
    await small.callTool('notes.add', { text: 'one' });
    await small.callTool('notes.add', { text: 'two' });
    assertToolResult(await small.callTool('notes.add', { text: 'three' }), { isError: true, contains: 'notes is full (2 notes, the configured maxNotes)' });
  } finally {
    await small.close();
  }
});

test('a config that breaks the schema is refused before anything starts', async () => {
  await assert.rejects(createTestHost({ plugin, dependencies, config: { maxNotes: 0 } }), /maxNotes/);
});

test('without its dependency notes cannot be installed', async () => {
  await assert.rejects(createTestHost({ plugin }), /usage-analytics/);
});

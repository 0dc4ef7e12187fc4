import { describe, expect, it } from 'vitest';
import { parseJsonServers } from '../../../../src/core/client-config/json-doc.js';

const entry = { command: '/n', args: ['a'] };

describe('parseJsonServers', () => {
  it('adds an entry in the file’s own indentation and line ends, leaving a one-line neighbour as it was', () => {
    const text = '{\r\n\t"mcpServers": {\r\n\t\t"a": {"command": "x"}\r\n\t}\r\n}\r\n';
    const out = parseJsonServers(text, 'mcpServers', 'f').set('pm', entry);
    expect(out).toBe('{\r\n\t"mcpServers": {\r\n\t\t"a": {"command": "x"},\r\n\t\t"pm": {\r\n\t\t\t"command": "/n",\r\n\t\t\t"args": [\r\n\t\t\t\t"a"\r\n\t\t\t]\r\n\t\t}\r\n\t}\r\n}\r\n');
  });

  it('keeps the comments and trailing commas of a VS Code mcp.json, and removing gives back the text', () => {
    const text = '// user servers\n{\n  "servers": {\n    // fetch\n    "fetch": { "command": "uvx" },\n  },\n}\n';
    const doc = parseJsonServers(text, 'servers', 'f');
    const added = doc.set('pm', entry);
    expect(added).toContain('// user servers');
    expect(added).toContain('// fetch');
    expect(parseJsonServers(added, 'servers', 'f').remove('pm')).toBe(text);
  });

  it('fills an empty table and creates a missing one', () => {
    expect(JSON.parse(parseJsonServers('{"mcpServers": {}}', 'mcpServers', 'f').set('pm', entry))).toEqual({ mcpServers: { pm: entry } });
    expect(JSON.parse(parseJsonServers('{"theme": 1}', 'mcpServers', 'f').set('pm', entry))).toEqual({ theme: 1, mcpServers: { pm: entry } });
    expect(JSON.parse(parseJsonServers('', 'mcpServers', 'f').set('pm', entry))).toEqual({ mcpServers: { pm: entry } });
  });

  it('removes the first, a middle and the only entry', () => {
    const text = '{ "mcpServers": { "pm": {}, "b": {}, "c": {} } }';
    expect(JSON.parse(parseJsonServers(text, 'mcpServers', 'f').remove('pm'))).toEqual({ mcpServers: { b: {}, c: {} } });
    expect(JSON.parse(parseJsonServers(text, 'mcpServers', 'f').remove('b'))).toEqual({ mcpServers: { pm: {}, c: {} } });
    expect(JSON.parse(parseJsonServers('{"mcpServers":{"pm":{}}}', 'mcpServers', 'f').remove('pm'))).toEqual({ mcpServers: {} });
  });

  it('refuses a file that is not a JSON object, or whose table is not an object, naming the line', () => {
    expect(() => parseJsonServers('{\n "a": 1,\n "b" 2 }', 'mcpServers', '/c.json')).toThrow(/\/c\.json is not valid JSON \(ColonExpected on line 3\)/);
    expect(() => parseJsonServers('[1]', 'mcpServers', 'f')).toThrow(expect.objectContaining({ code: 'CLIENT_CONFIG_INVALID' }));
    expect(() => parseJsonServers('{"mcpServers": []}', 'mcpServers', 'f')).toThrow(/"mcpServers" that is not an object/);
  });
});

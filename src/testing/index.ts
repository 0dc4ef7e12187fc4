// Package `pmkit/testing`: the plugin testing kit (createTestHost and assertions).
export { createTestHost, HookDeniedError, type TestHost, type TestHostOptions, type LogEntry, type ToolResult, type ResourceResult, type PromptResult } from './test-host.js';
export { assertToolResult, assertHookRegistered, assertManifestValid, assertDenied, resultText, type ToolResultExpectation } from './assertions.js';

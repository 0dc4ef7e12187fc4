// Package `pmkit`: the SDK for plugin authors.
export * from './sdk/index.js';

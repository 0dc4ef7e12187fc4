export { definePlugin } from './define-plugin.js';
export type * from './types.js';

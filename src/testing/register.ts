// `node --import <this file>`: installs pmkit's module hooks (loader-hooks.ts) for plugin tests.
import { register } from 'node:module';

register('./loader-hooks.js', import.meta.url);

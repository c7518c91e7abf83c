// Preloaded with `node --import` to install module-hooks.ts in the process under test.
import { register } from 'node:module';

register('./module-hooks.js', import.meta.url);

// `node --import` this to log every module URL a process resolves to $ONBOARD_LOADED_LOG (see loading.test.ts).
import { register } from 'node:module';
register('./module-log-hooks.mjs', import.meta.url);

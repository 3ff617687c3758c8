import type { AppInput } from '../schema.ts';
import { businessApps } from './business-apps.ts';
import { collaborationApps } from './collaboration-apps.ts';
import { http } from './http.ts';

/** Every built-in app, one file each. Administrators add or override apps with JSON in HITCH_APPS_DIR. */
export const builtInApps: AppInput[] = [http, ...collaborationApps, ...businessApps];

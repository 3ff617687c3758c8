import type { AppInput } from '../schema.ts';
import { groupA } from './group-a.ts';
import { groupB } from './group-b.ts';
import { http } from './http.ts';

/** Every built-in app, one file each. Administrators add or override apps with JSON in HITCH_APPS_DIR. */
export const builtInApps: AppInput[] = [http, ...groupA, ...groupB];

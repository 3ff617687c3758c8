import type { AppInput } from '../schema.ts';

/** The shapes app files share between their modules (a repeated input, a connection kind built by a helper). */
export type ModuleInput = NonNullable<NonNullable<AppInput['modules']>[number]['inputs']>[number];
export type OAuth2KindInput = Extract<AppInput['connections'][number], { type: 'oauth2' }>;

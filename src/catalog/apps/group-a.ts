import type { AppInput } from '../schema.ts';

/** Productivity, developer and collaboration apps (one file each, listed here). */
export const groupA: AppInput[] = [];

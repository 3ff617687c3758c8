import type { AppInput } from '../schema.ts';

/** Sales, support, commerce, finance, marketing, social and AI apps (one file each, listed here). */
export const groupB: AppInput[] = [];

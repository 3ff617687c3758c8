import type { ConnectionStatus } from './api/types.ts';

export const STATUS_LABELS: Record<ConnectionStatus, string> = {
  pending: 'waiting for authorization',
  active: 'active',
  error: 'error',
  reauthorization_required: 'reauthorization required',
};

export function formatDate(iso: string | null): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

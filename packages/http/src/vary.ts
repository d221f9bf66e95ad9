import type { ServerResponse } from 'node:http';

/** Adds a field to a response's `Vary` without repeating one that is there (or adding to `*`). */
export function appendVary(res: ServerResponse, field: string): void {
  const current = res.getHeader('vary');
  const fields = (Array.isArray(current) ? current.join(',') : String(current ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (fields.includes('*') || fields.some((part) => part.toLowerCase() === field.toLowerCase())) return;
  res.setHeader('vary', [...fields, field].join(', '));
}

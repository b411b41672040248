/**
 * Where the next page starts, or why paging stops. Peers disagree on the last page (Elastic's mock
 * answers `next == total`, XSOAR expects `next` absent, PowerShell counts rows against `total`), so every
 * sign of an end stops, and a `next` that does not move forward stops too: following it could loop.
 * The cap on pages per window is the caller's.
 */
import type { IncidentPage } from './incident-page.js';

export type StopReason = 'next-absent' | 'next-null' | 'next-reached-total' | 'next-not-advancing' | 'empty-page';

export type PagingStep = { readonly next: number } | { readonly stop: StopReason };

/** @param askedOffset the `next` sent in the request that returned `page`. */
export function nextOffset(page: Pick<IncidentPage, 'total' | 'next' | 'incidents'>, askedOffset: number): PagingStep {
  const { next, total } = page;
  if (next === undefined) return { stop: 'next-absent' };
  if (next === null) return { stop: 'next-null' };
  if (total !== undefined && next >= total) return { stop: 'next-reached-total' };
  if (!(next > askedOffset)) return { stop: 'next-not-advancing' };
  if (page.incidents.length === 0) return { stop: 'empty-page' };
  return { next };
}

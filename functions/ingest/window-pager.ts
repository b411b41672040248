/**
 * Pages through one window: each page deduplicated and mapped, then delivered and its progress stored,
 * while the next page is already being fetched (one page at most in flight ahead of the one being
 * mapped, and one at most being delivered, so memory stays bounded by three pages). The next page may be
 * the first of the following window, when the run says which window that is.
 */
import { nextTurn } from '../concurrency.js';
import { ResponseTooLargeError } from '../symantec/http-request.js';
import { nextOffset, type PagingStep } from '../symantec/paging.js';
import { narrowingShare, narrowWindow, type OpenWindow } from '../window.js';
import { markDelivered, preparePage, putPage } from './deliver-page.js';
import type { IncidentPage, RunDependencies } from './ports.js';

export interface PagerCounts {
  pages: number;
  fetched: number;
  delivered: number;
  duplicates: number;
  shrunk: number;
  pageSizeNarrowed: number;
}

export interface WindowOutcome {
  /** False when the run stopped for time: the stored progress resumes it. */
  readonly completed: boolean;
  /** The window as it ended: narrower than asked when its result set was too large for one query. */
  readonly window: OpenWindow;
  readonly stopReason: string;
  /** The window the run opens next, its first page already asked for (see `PagerHooks.following`). */
  readonly following?: PrefetchedWindow;
}

export interface PrefetchedWindow {
  readonly window: OpenWindow;
  readonly firstPage: Promise<IncidentPage>;
  /** Abandons the request when the run ends without opening the window. */
  cancel(): void;
}

export interface PagerHooks {
  /** Called with the window and the offset of its next page after each delivered page. */
  onProgress(window: OpenWindow): Promise<void>;
  counts: PagerCounts;
  /** Which rows to deliver; the others still count for paging, they are only not sent. @default every row */
  keep?: (incident: unknown) => boolean;
  /**
   * The window the run opens once this one is complete, or undefined when it stops after it. Asked when
   * the last page arrives, so that the following window's first page is fetched while it is delivered.
   * @default no following window
   */
  following?: (completed: OpenWindow) => OpenWindow | undefined;
  /** The first page of the window at offset 0, already asked for by the pager of the window before. */
  firstPage?: Promise<IncidentPage>;
  /**
   * How long the run's pages have taken so far, shared by all the windows of a run, so that a window's
   * first page is judged by the pages before it. @default this window's pages only
   */
  pace?: RunPace;
}

/** The slowest page so far, from when the run began waiting for it to its progress stored: what the time checks allow for. */
export interface RunPace {
  slowestPageMs: number;
}

export function freshPace(): RunPace {
  return { slowestPageMs: 0 };
}

/** Whether a page as slow as the slowest so far, twice over, still ends before the run's deadline. */
export function hasTimeForPage(deps: Pick<RunDependencies, 'clock' | 'deadlineMs'>, pace: RunPace): boolean {
  return deps.clock.now() + 2 * pace.slowestPageMs < deps.deadlineMs;
}

export function emptyCounts(): PagerCounts {
  return { pages: 0, fetched: 0, delivered: 0, duplicates: 0, shrunk: 0, pageSizeNarrowed: 0 };
}

export async function drainWindow(start: OpenWindow, deps: RunDependencies, hooks: PagerHooks): Promise<WindowOutcome> {
  const { settings, clock, logger } = deps;
  const pace = hooks.pace ?? freshPace();
  const hasTime = () => hasTimeForPage(deps, pace);
  // No page is started that would not end before the deadline (a first page already asked for was).
  if (!hooks.firstPage && !hasTime()) return { completed: false, window: start, stopReason: 'time' };
  let window = start;
  // Rows per page: PAGE_SIZE, unless a page was too large for the response cap in this window before.
  let pageSize = Math.min(settings.pageSize, start.pageSize ?? settings.pageSize);
  const sized = (of: OpenWindow): OpenWindow => (pageSize < settings.pageSize ? { ...of, pageSize } : of);
  let pagesInWindow = 0;
  const abort = new AbortController();
  const fetchPage = (
    offset: number,
    of: OpenWindow = window,
    extra: { signal?: AbortSignal; onReceived?: () => void } = {},
  ): Promise<IncidentPage> => {
    const promise = deps.api.fetchIncidentPage(
      {
        start: new Date(of.start),
        end: new Date(of.end),
        offset,
        limit: of === window ? pageSize : Math.min(settings.pageSize, of.pageSize ?? settings.pageSize),
        includeEvents: settings.includeEvents,
        query: settings.query,
      },
      {
        deadline: deps.deadlineMs,
        signal: extra.signal ? AbortSignal.any([abort.signal, extra.signal]) : abort.signal,
        ...(extra.onReceived ? { onReceived: extra.onReceived } : {}),
      },
    );
    promise.catch(() => undefined); // a prefetch abandoned by an error elsewhere must not go unhandled
    return promise;
  };
  // Ask a few rows before the reported offset: if incidents left the window meanwhile, nothing is skipped.
  // A narrowed page keeps the overlap within a quarter of it, as PAGE_OVERLAP is kept within PAGE_SIZE.
  const askFor = (reported: number) =>
    reported === 0
      ? 0
      : Math.max(
          0,
          reported - Math.min(settings.pageOverlap, pageSize === settings.pageSize ? settings.pageOverlap : Math.floor(pageSize / 4)),
        );

  // Asking early: while the run waits for a page (nothing else to do), the moment its bytes arrive the
  // next page is asked for, before this one is parsed, at the offset paging will ask when the page is as
  // full as the window's `total` says. Parsing 2,000 incidents then overlaps the next request's latency
  // instead of adding to it. Once the page is parsed, the early request is used if paging asks exactly
  // that offset, and cancelled otherwise. Still one page at most in flight ahead of the one being mapped.
  let waitingForPage = false;
  let windowTotal: number | undefined;
  let early: { readonly offset: number; readonly page: Promise<IncidentPage>; cancel(): void } | undefined;
  const askEarlyAfter = (asked: number) => (): void => {
    if (!waitingForPage || early !== undefined || asked === 0 || windowTotal === undefined) return;
    const reported = asked + pageSize;
    // The page arriving is the window's last, or paging would stop at the page cap or for time.
    if (reported >= windowTotal || pagesInWindow + 1 >= settings.maxPagesPerWindow || !hasTime()) return;
    const offset = askFor(reported);
    const cancel = new AbortController();
    early = {
      offset,
      page: fetchPage(offset, window, { signal: cancel.signal, onReceived: askEarlyAfter(offset) }),
      cancel: () => cancel.abort(new Error('asked early for a page paging did not ask for')),
    };
  };
  const dropEarly = () => {
    early?.cancel();
    early = undefined;
  };
  const fetchNext = (offset: number): Promise<IncidentPage> => {
    const asked = early?.offset === offset ? early.page : undefined;
    if (asked) {
      early = undefined;
      return asked;
    }
    dropEarly();
    return fetchPage(offset, window, { onReceived: askEarlyAfter(offset) });
  };

  // Two stages per page: look it up in the seen-set and map it; then send it to Firehose, write its
  // seen-marks and its progress (`delivering`). The next page is looked up and mapped while this one is
  // delivered; its versions count as delivered meanwhile (`inFlight`). One page at most is being
  // delivered: the next waits for it before its own delivery starts, so nothing is stored out of order,
  // and nothing is returned before every page's delivery has ended.
  let delivering: Promise<void> = Promise.resolve();
  let inFlight: ReadonlySet<string> = new Set();
  const settle = async () => {
    await delivering;
    inFlight = new Set();
  };
  const ports = { source: deps.source, seen: deps.seen, sink: deps.sink, deadlineMs: deps.deadlineMs };

  let asked = askFor(window.next);
  let pending = asked === 0 && hooks.firstPage ? hooks.firstPage : fetchPage(asked, window, { onReceived: askEarlyAfter(asked) });
  // Pages `narrowed`, a first part of the window, from offset 0 in place of the window; the seen-set
  // absorbs the rows read twice, and the rest of the window is the next one.
  const restartAs = async (narrowed: OpenWindow) => {
    dropEarly();
    windowTotal = undefined;
    await settle();
    window = sized(narrowed);
    await hooks.onProgress(window);
    pagesInWindow = 0;
    asked = 0;
    pending = fetchPage(0);
  };
  try {
    for (;;) {
      const pageStartedMs = clock.now();
      waitingForPage = true;
      let page: IncidentPage;
      try {
        page = await pending;
      } catch (error) {
        if (!(error instanceof ResponseTooLargeError) || pageSize <= 1) throw error;
        waitingForPage = false;
        // The page is larger than this function's memory allows: ask for the same rows in smaller pages,
        // and store the smaller size with the window, so a resumed run does not meet the cap again.
        const from = pageSize;
        pageSize = narrowedPageSize(pageSize, error);
        hooks.counts.pageSizeNarrowed++;
        logger.warn('page larger than the response cap: asking for fewer rows per page in this window', {
          pageSize: { from, to: pageSize },
          capBytes: error.capBytes,
          window,
        });
        dropEarly();
        await settle();
        window = sized(window);
        await hooks.onProgress(window);
        pending = fetchPage(asked, window, { onReceived: askEarlyAfter(asked) });
        continue;
      }
      waitingForPage = false;
      pagesInWindow++;
      hooks.counts.pages++;
      hooks.counts.fetched += page.incidents.length;
      windowTotal = page.total;

      if (asked === 0 && page.total !== undefined && page.total >= settings.splitThreshold) {
        const narrowed = narrowWindow(window, narrowingShare(page.total, settings.splitThreshold));
        if (narrowed) {
          logger.info('window too large for one query: narrowing it', { total: page.total, from: window, to: narrowed });
          await restartAs(narrowed);
          continue;
        }
        logger.warn('window cannot be narrowed further: paging what the API returns', { total: page.total, window });
      }

      const decision = readOn(nextOffset(page, asked), page, asked);
      let next: number | undefined;
      let stopReason = 'stop' in decision ? decision.stop : '';
      if ('next' in decision) {
        if (decision.next <= window.next) stopReason = 'next-not-advancing';
        else if (pagesInWindow >= settings.maxPagesPerWindow) stopReason = 'page-cap';
        else next = decision.next;
      }
      const prefetched = next !== undefined && hasTime();
      if (prefetched) {
        asked = askFor(next as number);
        pending = fetchNext(asked);
      } else {
        dropEarly();
      }
      // The last page: the following window's first page comes in while this one is delivered.
      const upcoming =
        next === undefined && stopReason !== 'page-cap' && hooks.following && hasTime() ? hooks.following(window) : undefined;
      const following: PrefetchedWindow | undefined = upcoming && {
        window: upcoming,
        firstPage: fetchPage(0, upcoming),
        cancel: () => abort.abort(new Error('the run ended without opening the prefetched window')),
      };

      // A request just started reaches the socket before mapping holds the event loop for tens of ms.
      if (prefetched || following) await nextTurn();
      const rows = hooks.keep ? page.incidents.filter(hooks.keep) : page.incidents;
      const prepared = await preparePage(rows, settings, clock.now(), ports, { inFlight });
      await delivering;
      const progress = next === undefined ? undefined : sized({ ...window, next });
      inFlight = new Set(prepared.fingerprints);
      hooks.counts.duplicates += prepared.duplicates;
      delivering = (async () => {
        const delivery = await putPage(prepared, ports);
        hooks.counts.delivered += delivery.delivered;
        hooks.counts.shrunk += delivery.shrunk;
        await markDelivered(delivery.accepted, ports);
        if (progress) await hooks.onProgress(progress);
        pace.slowestPageMs = Math.max(pace.slowestPageMs, clock.now() - pageStartedMs);
      })();
      delivering.catch(() => undefined); // awaited before the next delivery, any return, and on the way out of an error

      if (next === undefined) {
        if (stopReason === 'page-cap') {
          // More pages than a window should ever need: rather than close it over rows never read, page its
          // first half again.
          const narrowed = narrowWindow(window);
          if (narrowed) {
            logger.warn('page cap reached: narrowing the window and paging it again', {
              pages: pagesInWindow,
              total: page.total,
              from: window,
              to: narrowed,
            });
            await restartAs(narrowed);
            continue;
          }
          logger.error(
            'page cap reached on a window that cannot be narrowed: closing it (raise MAX_PAGES_PER_WINDOW if the API really holds more)',
            {
              pages: pagesInWindow,
              total: page.total,
            },
          );
        }
        await settle();
        return following ? { completed: true, window, stopReason, following } : { completed: true, window, stopReason };
      }
      window = sized({ ...window, next });
      // No time for another page: the stored offset is where the next run resumes.
      if (!prefetched) {
        await settle();
        return { completed: false, window, stopReason: 'time' };
      }
    }
  } catch (error) {
    waitingForPage = false;
    abort.abort(error);
    // The page before may still be on its way: let its delivery end (or fail) before the run goes on to
    // release its lease.
    await delivering.catch(() => undefined);
    throw error;
  }
}

/**
 * Rows per page after a page of `pageSize` rows was over the cap: in proportion to the cap when the
 * server declared the size (with a fifth to spare), else half; always fewer, never below one.
 */
export function narrowedPageSize(pageSize: number, error: Pick<ResponseTooLargeError, 'capBytes' | 'declaredBytes'>): number {
  const half = Math.floor(pageSize / 2);
  const proportional =
    error.declaredBytes !== undefined && error.declaredBytes > 0
      ? Math.floor((pageSize * 0.8 * error.capBytes) / error.declaredBytes)
      : half;
  return Math.max(1, Math.min(half, proportional));
}

/**
 * A page that signals the end (no `next`, `next` null, `next` at or past `total`, `next` not moving) while
 * its own `total` says rows remain after it contradicts itself: closing the window would move the
 * checkpoint past rows never read. Read on from where the page ended instead. An empty page still ends
 * the window, so an API whose `total` over-counts costs one request more, never a loop.
 */
export function readOn(decision: PagingStep, page: Pick<IncidentPage, 'total' | 'incidents'>, asked: number): PagingStep {
  const reached = asked + page.incidents.length;
  const contradicted = page.total !== undefined && page.incidents.length > 0 && reached < page.total;
  return 'stop' in decision && decision.stop !== 'empty-page' && contradicted ? { next: reached } : decision;
}

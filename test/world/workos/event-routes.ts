/** GET /events: what the stand-in recorded, oldest first, cursor = event id. */
import { ok, type ApiRequest, type Out, type WorkOSContext } from './context.js';
import { paginate } from './paginate.js';

/** Lists events by name and time range. */
export function eventRoutes(ctx: WorkOSContext, { method, path, query, body }: ApiRequest): Out | undefined {
  const { state } = ctx;

  // events (oldest first, cursor = event id)
  if (method === 'GET' && path === '/events') {
    const names = query.events?.split(',').filter(Boolean);
    let list = state.events;
    if (names?.length) list = list.filter((e) => names.includes(e.event));
    if (query.range_start) list = list.filter((e) => e.created_at >= query.range_start!);
    if (query.range_end) list = list.filter((e) => e.created_at < query.range_end!);
    const page = paginate(list, { ...query, order: query.order === 'desc' ? 'desc' : 'asc', before: '' });
    return ok({ object: 'list', data: page.data, list_metadata: { after: page.list_metadata.after } });
  }
  return undefined;
}

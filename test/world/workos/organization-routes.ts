/** Organizations: list (filtered by domain), create, get. */
import { ok, type ApiRequest, type Out, type WorkOSContext } from './context.js';
import { notFound, unprocessable } from './errors.js';
import { paginate } from './paginate.js';
import { addOrganization } from './records.js';

/** /organizations and /organizations/<id>. */
export function organizationRoutes(ctx: WorkOSContext, { method, path, query, body }: ApiRequest): Out | undefined {
  const { state } = ctx;
  let m: RegExpExecArray | null;

  // organizations
  if (path === '/organizations') {
    if (method === 'GET') {
      let list = state.organizations;
      const domains = query.domains?.split(',').filter(Boolean);
      if (domains?.length) list = list.filter((o) => o.domains.some((d) => domains.includes(d.domain)));
      return ok(paginate(list, query));
    }
    if (method === 'POST') {
      if (typeof body.name !== 'string' || !body.name)
        throw unprocessable('Validation failed', [{ field: 'name', code: 'name is required' }]);
      const domains = Array.isArray(body.domain_data)
        ? (body.domain_data as Array<{ domain: string }>).map((d) => d.domain)
        : Array.isArray(body.domains)
          ? (body.domains as string[])
          : [];
      return ok(
        addOrganization(state, {
          name: body.name,
          domains,
          external_id: typeof body.external_id === 'string' ? body.external_id : null,
          metadata: (body.metadata as Record<string, string>) ?? {},
        }),
        201,
      );
    }
  }
  if (method === 'GET' && (m = /^\/organizations\/([^/]+)$/.exec(path))) {
    const id = decodeURIComponent(m[1]!);
    const o = state.organizations.find((x) => x.id === id);
    if (!o) throw notFound('Organization', id);
    return ok(o);
  }
  return undefined;
}

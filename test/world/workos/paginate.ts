/** WorkOS-style cursor pagination over an insertion-ordered array. */
export function paginate<T extends { id: string }>(items: T[], query: Record<string, string>): {
  object: 'list';
  data: T[];
  list_metadata: { before: string | null; after: string | null };
} {
  const order = query.order === 'asc' || query.order === 'normal' ? 'asc' : 'desc';
  const sorted = order === 'asc' ? [...items] : [...items].reverse();
  let limit = Number(query.limit ?? 10);
  if (!Number.isFinite(limit) || limit < 1) limit = 10;
  limit = Math.min(Math.floor(limit), 100);
  let start = 0;
  let end = sorted.length;
  if (query.after) {
    const i = sorted.findIndex((x) => x.id === query.after);
    start = i === -1 ? sorted.length : i + 1;
    end = Math.min(sorted.length, start + limit);
  } else if (query.before) {
    const i = sorted.findIndex((x) => x.id === query.before);
    end = i === -1 ? 0 : i;
    start = Math.max(0, end - limit);
  } else {
    end = Math.min(sorted.length, limit);
  }
  const data = sorted.slice(start, end);
  return {
    object: 'list',
    data,
    list_metadata: {
      before: start > 0 && data.length > 0 ? data[0]!.id : null,
      after: end < sorted.length && data.length > 0 ? data[data.length - 1]!.id : null,
    },
  };
}

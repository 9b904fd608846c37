// Loaded with `node --import` in a --no-account run of the tests: the convex CLI asks
// https://version.convex.dev/v1/local_backend_version for the newest local backend (hard-coded in
// 1.49, for every new local deployment); this answers with CAK_TEST_LOCAL_BACKEND_VERSION, the way
// the real service answers with its newest version. Every other request goes out as before.
const realFetch = globalThis.fetch;
globalThis.fetch = async function (input, init) {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input?.url;
  if (url === 'https://version.convex.dev/v1/local_backend_version' && process.env.CAK_TEST_LOCAL_BACKEND_VERSION) {
    return new Response(JSON.stringify({ version: process.env.CAK_TEST_LOCAL_BACKEND_VERSION }), { headers: { 'content-type': 'application/json' } });
  }
  return realFetch(input, init);
};

/** Errors a route throws; the server answers them as WorkOS does (`{message, code}` or OAuth's `{error, error_description}`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? body.error_description ?? status));
  }
}
export const notFound = (what: string, id: string) =>
  new ApiError(404, { message: `${what} not found: '${id}'.`, code: 'entity_not_found', entity_id: id });
export const unprocessable = (message: string, errors: Array<{ field: string; code: string }> = []) =>
  new ApiError(422, { message, code: 'invalid_request_parameters', errors });
export const oauthError = (status: number, error: string, description: string) =>
  new ApiError(status, { error, error_description: description });

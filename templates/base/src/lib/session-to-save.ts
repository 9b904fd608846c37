// What goes into the session cookie after a sign-in the app completes itself (magic code,
// /callback/oauth): the same fields authkit-nextjs's own callback (`handleAuth`) keeps.
// The authentication response carries more — e.g. `oauthTokens`, the Google access and
// refresh tokens — which the app never needs and must not carry around in a cookie.

type AuthenticationResult = {
  accessToken: string;
  refreshToken: string;
  user: unknown;
  impersonator?: unknown;
  authenticationMethod?: unknown;
};

export function sessionToSave<T extends AuthenticationResult>(
  auth: T,
): Pick<T, "accessToken" | "refreshToken" | "user" | "impersonator" | "authenticationMethod"> {
  const { accessToken, refreshToken, user, impersonator, authenticationMethod } = auth;
  return { accessToken, refreshToken, user, impersonator, authenticationMethod };
}

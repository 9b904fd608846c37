/**
 * Roles and permissions (roles.ts), driven by the real SDK and by the CLI's own module that creates
 * workos/roles.json in the environment (src/steps/organizations/roles-file.ts); and the token of an
 * organization switch (refresh with organization_id) carrying the role's permissions.
 */
import path from 'node:path';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { WorkOS } from '@workos-inc/node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templatesDir } from '../../../src/files/render.js';
import { applyRoles, describeDrift, drift, environmentRoles, hasDrift, readRolesFile } from '../../../src/steps/organizations/roles-file.js';
import { connectWorkOSWith } from '../../../src/systems/workos.js';
import { startWorkOSStandIn, type WorkOSStandIn } from './index.js';
import { rolesOf } from './roles.js';

let w: WorkOSStandIn;
let workos: WorkOS;
const hostEnv = () => ({ WORKOS_API_HOSTNAME: w.hostname, WORKOS_API_PORT: String(w.port), WORKOS_API_HTTPS: 'false' });

beforeAll(async () => {
  w = await startWorkOSStandIn();
  workos = new WorkOS(w.apiKey, { clientId: w.clientId, apiHostname: w.hostname, port: w.port, https: false });
});
afterAll(async () => {
  await w.close();
});

/** A project folder holding only a roles file. */
async function projectWith(roles: unknown): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cak-roles-'));
  await mkdir(path.join(dir, 'workos'));
  await writeFile(path.join(dir, 'workos', 'roles.json'), typeof roles === 'string' ? roles : JSON.stringify(roles));
  return dir;
}

describe('roles and permissions endpoints', () => {
  it('a new environment has admin and member; created roles and permissions list back with the SDK shapes; a second create is a 409', async () => {
    const before = await workos.authorization.listEnvironmentRoles();
    expect(before.data.map((r) => r.slug)).toEqual(['admin', 'member']);
    const permission = await workos.authorization.createPermission({ slug: 'things:read', name: 'Read things' });
    expect(permission).toMatchObject({ object: 'permission', slug: 'things:read', name: 'Read things', description: null, system: false });
    expect(permission.id).toMatch(/^perm_/);
    const role = await workos.authorization.createEnvironmentRole({ slug: 'reader', name: 'Reader' });
    expect(role).toMatchObject({ object: 'role', slug: 'reader', permissions: [], type: 'EnvironmentRole' });
    const set = await workos.authorization.setEnvironmentRolePermissions('reader', { permissions: ['things:read'] });
    expect(set.permissions).toEqual(['things:read']);
    const listed = await (await workos.authorization.listPermissions()).autoPagination();
    expect(listed.map((p) => p.slug)).toContain('things:read');
    await expect(workos.authorization.createEnvironmentRole({ slug: 'reader', name: 'Again' })).rejects.toMatchObject({ status: 409 });
    await expect(workos.authorization.setEnvironmentRolePermissions('reader', { permissions: ['nope:none'] })).rejects.toMatchObject({ status: 404 });
  });
});

describe("the generated app's workos/roles.json", () => {
  it('is created in the environment once: a second run changes nothing; a change made in the dashboard shows as drift and is put back', async () => {
    const file = await readRolesFile(path.join(templatesDir(), 'organizations'));
    const api = await connectWorkOSWith(w.apiKey, w.clientId, hostEnv());
    const first = await applyRoles(api, file);
    expect(first.createPermissions.map((p) => p.slug)).toEqual(['projects:read', 'projects:write', 'members:invite']);
    expect(first.createRoles.map((r) => r.slug)).toEqual(['viewer']);
    const env = await environmentRoles(api);
    expect(hasDrift(drift(file, env))).toBe(false);
    expect(env.roles.find((r) => r.slug === 'viewer')?.permissions).toEqual(['projects:read']);

    const again = await applyRoles(api, file);
    expect(hasDrift(again)).toBe(false);

    // Someone removes a permission from `member` in the dashboard.
    rolesOf(w.state).roles.find((r) => r.slug === 'member')!.permissions = ['projects:read'];
    const d = drift(file, await environmentRoles(api));
    expect(describeDrift(d)).toBe('role member has [projects:read], the file says [projects:read, projects:write]');
    await applyRoles(api, file);
    expect(hasDrift(drift(file, await environmentRoles(api)))).toBe(false);
  });

  it('a file naming an undeclared permission, or not JSON, is refused with the problem named (exit 2)', async () => {
    const bad = await projectWith({ permissions: [], roles: [{ slug: 'admin', name: 'Admin', permissions: ['x:y'] }] });
    await expect(readRolesFile(bad)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('role "admin" names the permission "x:y"') });
    await expect(readRolesFile(await projectWith('{ nope'))).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('is not valid JSON') });
    const upper = await projectWith({ permissions: [{ slug: 'Projects:Read', name: 'x' }], roles: [] });
    await expect(readRolesFile(upper)).rejects.toMatchObject({ message: expect.stringContaining('lowercase') });
  });
});

describe('switching organization on refresh', () => {
  it("the refreshed token carries the new org_id, the member's role there and its permissions", async () => {
    await applyRoles(await connectWorkOSWith(w.apiKey, w.clientId, hostEnv()), await readRolesFile(path.join(templatesDir(), 'organizations')));
    const user = w.addUser({ email: 'switcher@example.com' });
    const a = w.addOrganization({ name: 'A' });
    const b = w.addOrganization({ name: 'B' });
    w.addMembership({ user_id: user.id, organization_id: a.id, role: 'admin' });
    w.addMembership({ user_id: user.id, organization_id: b.id, role: 'viewer' });
    const c = w.addOrganization({ name: 'C (not a member)' });
    await workos.userManagement.createMagicAuth({ email: user.email });
    const code = w.state.magicCodes.filter((m) => m.email === user.email).at(-1)!.code;
    const signedIn = await workos.userManagement.authenticateWithMagicAuth({ clientId: w.clientId, email: user.email, code });
    // Two organizations: the session starts in none.
    expect(decodeJwt(signedIn.accessToken).org_id).toBeUndefined();

    const inB = await workos.userManagement.authenticateWithRefreshToken({ clientId: w.clientId, refreshToken: signedIn.refreshToken, organizationId: b.id });
    expect(inB.organizationId).toBe(b.id);
    expect(decodeJwt(inB.accessToken)).toMatchObject({ org_id: b.id, role: 'viewer', roles: ['viewer'], permissions: ['projects:read'] });

    const inA = await workos.userManagement.authenticateWithRefreshToken({ clientId: w.clientId, refreshToken: inB.refreshToken, organizationId: a.id });
    expect(decodeJwt(inA.accessToken)).toMatchObject({ org_id: a.id, role: 'admin', permissions: ['projects:read', 'projects:write', 'members:invite'] });

    await expect(
      workos.userManagement.authenticateWithRefreshToken({ clientId: w.clientId, refreshToken: inA.refreshToken, organizationId: c.id }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe("the organizations page's calls", () => {
  it('creating an organization and its admin membership, then inviting by email, answer with the SDK shapes and record their events', async () => {
    const creator = w.addUser({ email: 'founder@example.com' });
    const organization = await workos.organizations.createOrganization({ name: 'Founded' });
    const membership = await workos.userManagement.createOrganizationMembership({ organizationId: organization.id, userId: creator.id, roleSlug: 'admin' });
    expect(membership).toMatchObject({ organizationId: organization.id, userId: creator.id, role: { slug: 'admin' }, status: 'active' });
    await expect(
      workos.userManagement.createOrganizationMembership({ organizationId: organization.id, userId: creator.id, roleSlug: 'admin' }),
    ).rejects.toMatchObject({ status: 409 });
    await expect(
      workos.userManagement.createOrganizationMembership({ organizationId: organization.id, userId: w.addUser({ email: 'x@example.com' }).id, roleSlug: 'nope' }),
    ).rejects.toMatchObject({ status: 422 });

    const invitation = await workos.userManagement.sendInvitation({ email: 'Guest@Example.com', organizationId: organization.id, inviterUserId: creator.id, roleSlug: 'viewer' });
    expect(invitation).toMatchObject({ object: 'invitation', email: 'guest@example.com', state: 'pending', organizationId: organization.id, inviterUserId: creator.id, roleSlug: 'viewer' });
    await expect(workos.userManagement.sendInvitation({ email: 'guest@example.com', organizationId: organization.id })).rejects.toMatchObject({ status: 400 });
    const listed = await workos.userManagement.listInvitations({ organizationId: organization.id });
    expect(listed.data.map((i) => i.id)).toEqual([invitation.id]);

    const events = w.state.events.filter((e) => ['organization_membership.created', 'invitation.created'].includes(e.event)).slice(-2);
    expect(events.map((e) => e.event)).toEqual(['organization_membership.created', 'invitation.created']);
    expect(events[1]!.data).not.toHaveProperty('token');
  });

  it('an invited person who signs up with the invitation token becomes a member with its role; the invitation is accepted; a second use is refused', async () => {
    const inviter = w.addUser({ email: 'inviter@example.com' });
    const organization = await workos.organizations.createOrganization({ name: 'Inviting' });
    const invitation = await workos.userManagement.sendInvitation({ email: 'newcomer@example.com', organizationId: organization.id, inviterUserId: inviter.id, roleSlug: 'viewer' });
    const eventsBefore = w.state.events.length;

    // The magic code for an email WorkOS has no user for yet: a sign-up.
    await workos.userManagement.createMagicAuth({ email: 'newcomer@example.com', invitationToken: invitation.token });
    const code = w.state.magicCodes.filter((c) => c.email === 'newcomer@example.com').at(-1)!.code;
    const auth = await workos.userManagement.authenticateWithMagicAuth({ clientId: w.clientId, email: 'newcomer@example.com', code, invitationToken: invitation.token });
    expect(auth.organizationId).toBe(organization.id);
    expect(decodeJwt(auth.accessToken)).toMatchObject({ org_id: organization.id, role: 'viewer' });
    const { data: memberships } = await workos.userManagement.listOrganizationMemberships({ userId: auth.user.id });
    expect(memberships).toMatchObject([{ organizationId: organization.id, role: { slug: 'viewer' }, status: 'active' }]);
    expect(await workos.userManagement.getInvitation(invitation.id)).toMatchObject({ state: 'accepted', acceptedUserId: auth.user.id });
    const events = w.state.events.slice(eventsBefore).map((e) => e.event);
    expect(events).toEqual(expect.arrayContaining(['user.created', 'invitation.accepted', 'organization_membership.created']));
    expect(events.indexOf('invitation.accepted')).toBeLessThan(events.indexOf('organization_membership.created'));
    expect(w.state.events.find((e) => e.event === 'invitation.accepted')!.data).not.toHaveProperty('token');

    // Someone else with the same token, or a token of nothing, signs in to nothing.
    w.addUser({ email: 'other@example.com' });
    await workos.userManagement.createMagicAuth({ email: 'other@example.com' });
    const otherCode = w.state.magicCodes.filter((c) => c.email === 'other@example.com').at(-1)!.code;
    await expect(
      workos.userManagement.authenticateWithMagicAuth({ clientId: w.clientId, email: 'other@example.com', code: otherCode, invitationToken: invitation.token }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('the hosted sign-up page accepts an invitation carried by the authorize URL (the code exchange, as authkit-nextjs makes it, has no token)', async () => {
    const organization = await workos.organizations.createOrganization({ name: 'Hosted' });
    const invitation = await workos.userManagement.sendInvitation({ email: 'hosted@example.com', organizationId: organization.id, roleSlug: 'member' });
    const redirectUri = 'http://localhost:3999/callback';
    w.state.redirectUris.push(redirectUri);
    const pkce = await workos.pkce.generate();
    const url = workos.userManagement.getAuthorizationUrl({
      provider: 'authkit', clientId: w.clientId, redirectUri, screenHint: 'sign-up', invitationToken: invitation.token,
      codeChallenge: pkce.codeChallenge, codeChallengeMethod: pkce.codeChallengeMethod,
    });
    const form = new URLSearchParams(Object.fromEntries(new URL(url).searchParams));
    form.set('email', 'hosted@example.com');
    const submitted = await fetch(`${w.origin}/user_management/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    expect(submitted.status).toBe(302);
    const code = new URL(submitted.headers.get('location')!).searchParams.get('code')!;
    const auth = await workos.userManagement.authenticateWithCode({ clientId: w.clientId, code, codeVerifier: pkce.codeVerifier });
    expect(auth.organizationId).toBe(organization.id);
    expect(w.state.memberships.filter((m) => m.user_id === auth.user.id)).toMatchObject([{ organization_id: organization.id, role: { slug: 'member' } }]);
    expect(w.state.events.filter((e) => e.event === 'invitation.accepted' && (e.data as { id: string }).id === invitation.id)).toHaveLength(1);
  });
});

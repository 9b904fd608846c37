/**
 * A headless Chromium for the tests that drive a generated app like a person would, and the one
 * sign-in they share: the email magic code through the app's /sign-in form (the code read from the
 * WorkOS stand-in's outbox).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { World } from './world.js';

// test/run installs it there when missing; CHROMIUM_PATH points elsewhere.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'ignore', timeout: 5 * 60_000 });
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Signs `email` in through the magic-code form at `${base}/sign-in`; resolves on the dashboard. */
export async function signInWithMagicCode(page: Page, base: string, world: World, email: string, timeout = 30_000): Promise<void> {
  await page.goto(`${base}/sign-in`, { timeout });
  await page.locator('input#email').fill(email, { timeout });
  await page.getByRole('button', { name: 'Email me a sign-in code' }).click({ timeout });
  await page.locator('input#code').waitFor({ timeout });
  const code = world.workos.state.magicCodes.filter((c) => c.email === email).at(-1)?.code;
  expect(code).toMatch(/^\d{6}$/);
  await page.locator('input#code').fill(code!);
  await page.getByRole('button', { name: 'Verify code' }).click({ timeout });
  await page.waitForURL(`${base}/dashboard`, { timeout });
}

/** The command line: parse flags, resolve options, then hand over to the pipeline. */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { CliError, UsageError } from './errors.js';
import { reportFatal } from './ui/fatal.js';
import type { CliFlag } from './options/flags.js';
import type { OptionName } from './options/schema.js';

/** Inlined by the build (tsup.config.ts); computed from the option table when run from source. */
declare const __CLI_FLAGS__: { flags: CliFlag[]; directory: string } | undefined;
const cli =
  typeof __CLI_FLAGS__ !== 'undefined'
    ? __CLI_FLAGS__
    : await import('./options/flags.js').then((m) => ({ flags: m.cliFlags(), directory: m.directoryDescription() }));

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

type DoctorOptions = { json?: boolean; token?: string; prod?: boolean };
type ClaimFlags = { yes?: boolean; timeout?: string };

function buildProgram(onDoctor: (opts: DoctorOptions) => void, onClaim: (opts: ClaimFlags) => void): Command {
  const program = new Command('create-authkit-convex')
    .description('Create a Next.js app with WorkOS AuthKit sign-in and a Convex backend, fully wired.')
    .argument('[directory]', cli.directory)
    .version(pkg.version, '-v, --version', 'Print the version')
    .helpOption('-h, --help', 'Show this help')
    .showHelpAfterError('(run with --help to see every option)')
    .exitOverride();
  for (const { flag, description } of cli.flags) program.addOption(new Option(flag, description));
  program
    .command('doctor')
    .description('Check the auth chain of the project in this directory (WorkOS ↔ Next.js ↔ Convex)')
    .option('--json', 'Print the checks as one JSON object')
    .option('--token <jwt>', 'Also check that Convex would accept this access token (- reads it from stdin)')
    .option('--prod', 'Check the production chain set up by --add-production (.env.production.local, the production deployment and WorkOS environment)')
    .action((opts: DoctorOptions) => onDoctor(opts));
  program
    .command('claim')
    .description('In a project made with --no-account: claim its WorkOS environment, move Convex to your account, then register the webhook')
    .option('-y, --yes', 'Never prompt (a Convex login must exist: npx convex login)')
    .option('--timeout <seconds>', 'How long to wait for the claim in the WorkOS dashboard, and for WorkOS or Convex to answer (default 300)')
    .action((opts: ClaimFlags) => onClaim(opts));
  return program;
}

async function claim(opts: ClaimFlags): Promise<number> {
  const { claim: runClaim } = await import('./claim/index.js');
  const seconds = Number(opts.timeout ?? process.env.CREATE_AUTHKIT_CONVEX_TIMEOUT ?? 300);
  try {
    if (!Number.isInteger(seconds) || seconds <= 0) throw new UsageError('--timeout takes a whole number of seconds above 0, e.g. --timeout 600.');
    return await runClaim({ cwd: process.cwd(), yes: opts.yes, timeoutSeconds: seconds, cliVersion: pkg.version, say: (line) => console.log(line) });
  } catch (error) {
    return reportFatal(error, false);
  }
}

async function doctor(opts: DoctorOptions): Promise<number> {
  const { runDoctor } = await import('./doctor/index.js');
  try {
    return await runDoctor({ cwd: process.cwd(), json: opts.json, token: opts.token, prod: opts.prod });
  } catch (error) {
    return reportFatal(error, Boolean(opts.json));
  }
}

export async function main(argv: string[]): Promise<number> {
  let doctorRun: DoctorOptions | undefined;
  let claimRun: ClaimFlags | undefined;
  const program = buildProgram(
    (opts) => {
      doctorRun = opts;
    },
    (opts) => {
      claimRun = opts;
    },
  );
  let directory: string | undefined;
  program.action((dir: string | undefined) => {
    directory = dir;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    return handleParseError(error);
  }
  // doctorRun is set by the doctor command's action during parsing (TypeScript cannot see that).
  const doctorOpts = doctorRun as DoctorOptions | undefined;
  if (doctorOpts) return doctor({ ...doctorOpts, json: doctorOpts.json || Boolean(program.opts().json) });
  const claimOpts = claimRun as ClaimFlags | undefined;
  // Commander hands --yes and --timeout to the main program when it has them too.
  if (claimOpts) return claim({ yes: claimOpts.yes ?? program.opts().yes, timeout: claimOpts.timeout ?? program.opts().timeout });
  const flags = program.opts() as Partial<Record<OptionName, unknown>>;
  flags.directory = directory;
  const { create } = await import('./create.js');
  try {
    return await create(flags, pkg.version);
  } catch (error) {
    return reportFatal(error, Boolean(flags.json));
  }
}

function handleParseError(error: unknown): number {
  const code = (error as { code?: string }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return 0;
  if (error instanceof CliError) return reportFatal(error, process.argv.includes('--json'));
  return 2; // commander already printed the usage error
}

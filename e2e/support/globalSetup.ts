import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ACCOUNTS } from './accounts'

const repo = resolve(__dirname, '../..')
const deskboard = join(repo, '.venv/bin/deskboard')
const artifacts = join(repo, 'e2e/artifacts')

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.unref()
    server.on('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))))
    })
  })
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown = null
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/healthz`)
      if (response.ok) return
      lastError = new Error(`healthz answered ${response.status}`)
    } catch (error) {
      lastError = error
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`The e2e server did not start: ${String(lastError)}`)
}

/**
 * A real server for the journeys: a fresh SQLite database in a temporary data folder, migrated
 * by Alembic, one account per role made with the CLI, `deskboard serve` on a free port.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(join(repo, 'frontend/dist/index.html'))) {
    execFileSync('npm', ['run', 'build'], { cwd: join(repo, 'frontend'), stdio: 'inherit' })
  }
  mkdirSync(artifacts, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'deskboard-e2e-'))
  const port = await freePort()
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DESKBOARD_DATA_DIR: dataDir,
    DESKBOARD_DATABASE_URL: `sqlite+aiosqlite:///${join(dataDir, 'deskboard.db')}`,
    DESKBOARD_ENV: 'development',
    // Every journey signs in afresh and refreshes; the production limit would throttle the suite.
    // (Sign-in counts only wrong passwords, so the journeys' right ones are never held back.)
    DESKBOARD_REFRESH_RATE_LIMIT: '1000/minute',
    // The SLA sweep every second: a ticket aged past its target (sla.spec.ts) is announced at once.
    DESKBOARD_SLA_SWEEP_SECONDS: '1',
    // A small attachment cap, so the attachments journey shows the refusal without a 20 MiB file.
    DESKBOARD_MAX_ATTACHMENT_BYTES: String(1024 * 1024),
    // Test plugins installed as pip leaves them (dist-info entry points); third-party plugins
    // start disabled, so only the journeys that enable them see them (plugins.spec.ts).
    PYTHONPATH: [join(repo, 'tests/plugins/fixtures/site'), join(repo, 'e2e/fixtures/site'), process.env.PYTHONPATH]
      .filter(Boolean)
      .join(':'),
  }
  delete env.DESKBOARD_REDIS_URL // in-process fan-out
  execFileSync(deskboard, ['migrate'], { cwd: repo, env, stdio: 'inherit' })
  for (const account of Object.values(ACCOUNTS)) {
    // The password goes on stdin, never argv (visible to every user of the machine); the
    // command refuses one that breaks the password policy, which fails the setup here.
    execFileSync(
      deskboard,
      ['create-user', '--email', account.email, '--role', account.role, '--name', account.name, '--password-stdin'],
      { cwd: repo, env, input: `${account.password}\n`, stdio: ['pipe', 'ignore', 'inherit'] },
    )
  }
  const log = openSync(join(artifacts, 'server.log'), 'w')
  const server = spawn(deskboard, ['serve', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: repo,
    env,
    stdio: ['ignore', log, log],
  })
  const baseURL = `http://127.0.0.1:${port}`
  try {
    // A loaded machine can take longer (start-up alone has taken 45 s with several test runs at
    // once): DESKBOARD_E2E_START_TIMEOUT_MS changes the limit.
    await waitForHealth(baseURL, Number(process.env.DESKBOARD_E2E_START_TIMEOUT_MS ?? 120_000))
  } catch (error) {
    server.kill('SIGTERM')
    throw error
  }
  process.env.DESKBOARD_E2E_BASE_URL = baseURL
  writeFileSync(join(artifacts, 'server.json'), JSON.stringify({ baseURL, dataDir, pid: server.pid }, null, 2))

  return async () => {
    await new Promise<void>((done) => {
      if (server.exitCode !== null) return done()
      server.once('exit', () => done())
      server.kill('SIGTERM')
      setTimeout(() => {
        if (server.exitCode === null) server.kill('SIGKILL')
      }, 5000)
    })
    rmSync(dataDir, { recursive: true, force: true })
  }
}

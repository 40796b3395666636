// Regenerate src/api/schema.d.ts from the server's OpenAPI document (never hand-copied types).
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, '../..')
const python = resolve(repo, '.venv/bin/python')
const specFile = resolve(here, '../node_modules/.cache/deskboard-openapi.json')
const output = resolve(here, '../src/api/schema.d.ts')

const spec = execFileSync(
  python,
  ['-c', 'import json; from deskboard.app import create_app; print(json.dumps(create_app().openapi()))'],
  { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
)
mkdirSync(dirname(specFile), { recursive: true })
writeFileSync(specFile, spec)
execFileSync(resolve(here, '../node_modules/.bin/openapi-typescript'), [specFile, '-o', output], {
  stdio: 'inherit',
})

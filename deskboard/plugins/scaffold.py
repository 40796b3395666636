# ruff: noqa: E501 - the templates are TypeScript, Vue and TOML, formatted as their tools do
"""`deskboard plugin new NAME`: a plugin project that `deskboard plugin check` accepts as it is
(its first front-end build is written as plain ES, so no Node is needed to try it)."""

import re
from pathlib import Path

from deskboard.plugins.manifest import PLUGIN_NAME_PATTERN, RESERVED_NAMES

_FILES: dict[str, str] = {
    "pyproject.toml": """\
[project]
name = "deskboard-__NAME__"
version = "0.1.0"
description = "Deskboard plugin: __TITLE__"
readme = "README.md"
requires-python = ">=3.11"
# Runs inside a Deskboard server (plugin API 1), which provides FastAPI, SQLAlchemy and Pydantic.
dependencies = []

[project.entry-points."deskboard.widgets"]
__NAME__ = "__PKG__.plugin:plugin"

[build-system]
requires = ["hatchling>=1.24"]
build-backend = "hatchling.build"

[tool.hatch.build.targets.wheel]
packages = ["src/__PKG__"]
# The built front end is committed and shipped in the wheel: installing needs no Node.
artifacts = ["src/__PKG__/static/*"]
""",
    "README.md": """\
# deskboard-__NAME__

A Deskboard plugin: one widget type, `__NAME__-widget`, and one route,
`GET /api/plugins/__NAME__/hello`.

    pip install -e .                  # into the Deskboard server's environment
    deskboard plugin check .          # entry point, schema, files, imports
    cd frontend
    npm install PATH/TO/deskboard/frontend/sdk   # @deskboard/sdk (types; not on npm yet)
    npm install && npm run build      # rebuilds src/__PKG__/static/
    npm test                          # the widget against a fake SDK (vitest)
    npm run typecheck                 # vue-tsc: the widget, its tests and the Playwright test
    DESKBOARD_URL=http://127.0.0.1:8000 DESKBOARD_ADMIN_EMAIL=... DESKBOARD_ADMIN_PASSWORD=... \\
      npx playwright test             # against a running Deskboard with this plugin installed
                                      # (DESKBOARD_E2E_CHROMIUM=/usr/bin/chromium: your browser)

Restart Deskboard, then enable the plugin in Settings > Plugins (new plugins start disabled).
See PLUGINS.md in the Deskboard repository for the whole guide.
""",
    ".gitignore": "node_modules/\n__pycache__/\n*.egg-info/\ndist/\ntest-results/\n",
    "src/__PKG__/__init__.py": '"""__TITLE__: a Deskboard plugin."""\n',
    "src/__PKG__/plugin.py": '''\
"""The declaration Deskboard loads through the `deskboard.widgets` entry point."""

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel

from deskboard.plugins.api import (
    Frontend,
    Plugin,
    Size,
    User,
    WidgetType,
    errors,
    require,
    settings_schema,
)


class Hello(BaseModel):
    message: str


router = APIRouter()


@router.get("/hello", response_model=Hello, responses=errors(403))
async def hello(user: Annotated[User, require("__NAME__:read")]) -> Hello:
    """Greet the signed-in person (every role may: see `actions` below)."""
    return Hello(message=f"Hello, {user.name}")


WIDGET = WidgetType(
    type="__NAME__-widget",
    title="__TITLE__",
    description="Greets you from the __NAME__ plugin.",
    icon="note",
    category="plugins",
    default_size=Size(3, 2),
    min_size=Size(2, 2),
    max_size=Size(6, 6),
    settings_schema=settings_schema({"greeting": {"type": "string", "maxLength": 80}}),
)

plugin = Plugin(
    name="__NAME__",
    title="__TITLE__",
    plugin_api=">=1,<2",
    widget_types=[WIDGET],
    actions={"__NAME__:read": ["admin", "agent", "user", "guest"]},
    router=router,
    frontend=Frontend(module="__NAME__.js", css=["__NAME__.css"]),
)
''',
    "src/__PKG__/static/__NAME__.js": """\
import { defineComponent, h, onMounted, ref } from "vue";
import { definePlugin, useDeskboard, widgetProps } from "@deskboard/sdk";

// The first build, written by `deskboard plugin new`; `npm run build` in frontend/ replaces it
// with the Vite build of frontend/src (the same widget).
const Widget = defineComponent({
  props: widgetProps,
  setup(props) {
    const { api } = useDeskboard();
    const message = ref("");
    onMounted(async () => {
      message.value = (await api.get("hello")).message;
    });
    return () =>
      h("div", { class: "__NAME__-widget", "data-testid": "__NAME__-widget" }, [
        h("p", String(props.settings.greeting ?? "")),
        h("p", message.value),
      ]);
  },
});

export default definePlugin({ pluginApi: ">=1,<2", widgets: { "__NAME__-widget": Widget } });
""",
    "src/__PKG__/static/__NAME__.css": ".__NAME__-widget { padding: 0.5rem; }\n",
    "frontend/package.json": """\
{
  "name": "deskboard-__NAME__-frontend",
  "private": true,
  "version": "0.1.0",
  "type": "module",
  "scripts": {
    "build": "vite build",
    "test": "vitest run",
    "typecheck": "vue-tsc --noEmit",
    "e2e": "playwright test"
  },
  "peerDependencies": {
    "@deskboard/sdk": "^1.0.0",
    "vue": "^3.5.0"
  },
  "devDependencies": {
    "@deskboard/sdk": "^1.0.0",
    "@playwright/test": "^1.50.0",
    "@types/node": "^22.0.0",
    "@vitejs/plugin-vue": "^6.0.0",
    "@vue/test-utils": "^2.4.0",
    "jsdom": "^29.0.0",
    "typescript": "^5.9.0",
    "vite": "^8.0.0",
    "vitest": "^4.0.0",
    "vue": "^3.5.0",
    "vue-tsc": "^3.0.0"
  }
}
""",
    "frontend/tsconfig.json": """\
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "lib": ["ES2022", "DOM", "DOM.Iterable"],
    "strict": true,
    "isolatedModules": true,
    "verbatimModuleSyntax": true,
    "skipLibCheck": true,
    "noEmit": true,
    "jsx": "preserve",
    "types": ["node"]
  },
  "include": ["src/**/*.ts", "src/**/*.vue", "tests/**/*.ts", "e2e/**/*.ts", "*.config.ts"]
}
""",
    "frontend/src/env.d.ts": """\
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
""",
    "frontend/vite.config.ts": """\
/// <reference types="vitest/config" />
// A library build: one ES module plus its CSS into the Python package. vue and @deskboard/sdk
// stay imports (the page shares its copies through an import map); bundle everything else.
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../src/__PKG__/static', import.meta.url)),
    emptyOutDir: true,
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => '__NAME__.js', cssFileName: '__NAME__' },
    rolldownOptions: { external: ['vue', '@deskboard/sdk'] },
  },
  test: { environment: 'jsdom', include: ['tests/**/*.test.ts'] },
})
""",
    "frontend/src/index.ts": """\
import { definePlugin } from '@deskboard/sdk'
import Widget from './Widget.vue'

export default definePlugin({
  pluginApi: '>=1,<2',
  widgets: { '__NAME__-widget': Widget },
})
""",
    "frontend/src/Widget.vue": """\
<script setup lang="ts">
import { onMounted, ref } from 'vue'
import { useDeskboard, widgetProps } from '@deskboard/sdk'

const props = defineProps(widgetProps)
const { api } = useDeskboard()
const message = ref('')

onMounted(async () => {
  message.value = (await api.get<{ message: string }>('hello')).message
})
</script>

<template>
  <div class="__NAME__-widget" data-testid="__NAME__-widget">
    <p>{{ props.settings.greeting ?? '' }}</p>
    <p>{{ message }}</p>
  </div>
</template>

<style>
.__NAME__-widget { padding: 0.5rem; }
</style>
""",
    "frontend/tests/widget.test.ts": """\
// The widget against a fake SDK: no server, no page. The fake answers the one route it calls.
import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'

vi.mock('@deskboard/sdk', async () => {
  const { ref } = await import('vue')
  const props = { type: Object }
  return {
    widgetProps: { settings: props, size: props, filter: props, widgetId: String, type: String, editing: Boolean, theme: String },
    definePlugin: (plugin: unknown) => plugin,
    useDeskboard: () => ({
      apiVersion: 1,
      plugin: { name: '__NAME__', version: '0.1.0' },
      props: ref({}),
      api: { get: vi.fn(async (path: string) => (path === 'hello' ? { message: 'Hello, Ada' } : {})) },
      events: { on: () => () => undefined },
      ui: { openTicket: vi.fn(), openTicketList: vi.fn(), toast: vi.fn() },
    }),
  }
})

import Widget from '../src/Widget.vue'

describe('__NAME__ widget', () => {
  it('shows the greeting setting and what the route answers', async () => {
    const wrapper = mount(Widget, {
      props: { widgetId: 'w1', type: '__NAME__-widget', settings: { greeting: 'Hi' }, size: { w: 3, h: 2 }, editing: false, theme: 'light', filter: {} },
    })
    await flushPromises()
    expect(wrapper.text()).toContain('Hi')
    expect(wrapper.text()).toContain('Hello, Ada')
  })
})
""",
    "frontend/playwright.config.ts": """\
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: 'e2e',
  use: {
    baseURL: process.env.DESKBOARD_URL ?? 'http://127.0.0.1:8000',
    // A browser of your own (e.g. /usr/bin/chromium); unset: Playwright's (`npx playwright install`).
    launchOptions: { executablePath: process.env.DESKBOARD_E2E_CHROMIUM || undefined },
  },
})
""",
    "frontend/e2e/widget.spec.ts": """\
// Against a running Deskboard with this plugin installed, signed in as an admin
// (DESKBOARD_ADMIN_EMAIL, DESKBOARD_ADMIN_PASSWORD): enable the plugin, make a throwaway person
// whose dashboard holds the widget, sign in as them and see it render. No layout of anyone else
// is touched; the person stays (remove them in Settings > Users).
import { randomUUID } from 'node:crypto'
import { expect, test } from '@playwright/test'

const adminEmail = process.env.DESKBOARD_ADMIN_EMAIL ?? ''
const adminPassword = process.env.DESKBOARD_ADMIN_PASSWORD ?? ''

test('the widget renders on a dashboard', async ({ page, request }) => {
  const login = await request.post('/api/auth/login', { data: { email: adminEmail, password: adminPassword } })
  expect(login.ok(), 'sign in with DESKBOARD_ADMIN_EMAIL and DESKBOARD_ADMIN_PASSWORD').toBeTruthy()
  const { access_token: token } = (await login.json()) as { access_token: string }
  const headers = { Authorization: `Bearer ${token}` }
  const enabled = await request.patch('/api/plugins/__NAME__', { headers, data: { enabled: true } })
  expect(enabled.ok(), await enabled.text()).toBeTruthy()

  const person = { email: `__NAME__-${Date.now()}@example.com`, name: 'Plugin Tester', password: randomUUID(), role: 'user' }
  const created = await request.post('/api/users', { headers, data: person })
  expect(created.ok(), await created.text()).toBeTruthy()
  const { id } = (await created.json()) as { id: number }
  const widget = { id: '__NAME__-e2e', type: '__NAME__-widget', x: 0, y: 0, w: 3, h: 2, settings: { greeting: 'Hi' } }
  const saved = await request.post(`/api/layout/${id}`, { headers, data: { widgets: [widget] } })
  expect(saved.ok(), await saved.text()).toBeTruthy()

  await page.goto('/login')
  await page.getByTestId('login-email').fill(person.email)
  await page.getByTestId('login-password').fill(person.password)
  await page.getByTestId('login-submit').click()
  const shown = page.getByTestId('__NAME__-widget')
  await expect(shown).toContainText('Hi')
  await expect(shown).toContainText(`Hello, ${person.name}`)
})
""",
    "tests/test_plugin.py": '''\
"""The declaration passes the checks Deskboard runs at start-up (run inside Deskboard's
environment: `pytest tests`)."""

from pathlib import Path

from deskboard.plugins.check import check_project


def test_the_plugin_passes_deskboard_plugin_check():
    report = check_project(Path(__file__).resolve().parents[1])
    assert report.problems == []
''',
}


def package_name(name: str) -> str:
    return "deskboard_" + name.replace("-", "_")


def scaffold(name: str, target: Path, title: str | None = None) -> list[Path]:
    """Write a new plugin project into `target` (which must not exist); return the files."""
    if not PLUGIN_NAME_PATTERN.fullmatch(name) or name in RESERVED_NAMES:
        raise ValueError(f"{name!r}: a plugin name is 2-40 of a-z 0-9 - and starts with a letter")
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    title = title or name.replace("-", " ").capitalize()
    if not re.fullmatch(r"[^\"\\\n<>`$]{1,80}", title):
        raise ValueError("a title is 1-80 characters without quotes, backslashes, < > ` or $")
    values = {"__NAME__": name, "__PKG__": package_name(name), "__TITLE__": title}
    written = []
    for template_path, template in _FILES.items():
        path, text = template_path, template
        for key, value in values.items():
            path, text = path.replace(key, value), text.replace(key, value)
        out = target / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        written.append(out)
    return written

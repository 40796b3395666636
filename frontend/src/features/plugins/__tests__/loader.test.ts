import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { forgetPluginLoads, loadPlugin, PluginLoadError, readModule } from '../loader'
import type { PluginFrontend } from '../types'

const Widget = defineComponent({ setup: () => () => h('p', 'hi') })

function frontend(over: Partial<PluginFrontend> = {}): PluginFrontend {
  return { module: `/plugins/demo/1.0.0/demo-${Math.random()}.js`, css: [], mode: 'inpage', plugin: 'demo', version: '1.0.0', ...over }
}

afterEach(() => {
  forgetPluginLoads()
  document.head.innerHTML = ''
})

describe('reading a plugin module', () => {
  it('takes a widgets table or one component', () => {
    expect(readModule({ default: { widgets: { a: Widget } } }).component('a')).toBe(Widget)
    expect(readModule({ default: { widgets: { a: Widget } } }).component('b')).toBeNull()
    expect(readModule({ default: Widget }).component('anything')).toBe(Widget)
  })

  it('refuses a module whose plugin API range excludes 1, with the reason', () => {
    expect(() => readModule({ default: { pluginApi: '>=2,<3', widgets: { a: Widget } } })).toThrow(
      /needs plugin API >=2,<3; this Deskboard provides plugin API 1/,
    )
    expect(() => readModule({ pluginApi: '<1', default: Widget })).toThrow(PluginLoadError)
  })

  it('refuses a module without a component', () => {
    expect(() => readModule({ default: 42 })).toThrow(/exports no widget component/)
    expect(() => readModule({})).toThrow(/exports no widget component/)
  })
})

describe('loading a plugin', () => {
  it('imports the module once, adds its stylesheets once', async () => {
    const importer = vi.fn(async () => ({ default: { widgets: { a: Widget } } }))
    const f = frontend({ css: ['/plugins/demo/1.0.0/demo.css'] })
    const [one, two] = await Promise.all([loadPlugin(f, { importer }), loadPlugin(f, { importer })])
    expect(one).toBe(two)
    expect(importer).toHaveBeenCalledTimes(1)
    expect(importer).toHaveBeenCalledWith(f.module)
    expect(document.head.querySelectorAll('link[rel="stylesheet"]')).toHaveLength(1)
  })

  it('turns a failing import into a clear error and tries again next time', async () => {
    const f = frontend()
    const failing = vi.fn(async () => {
      throw new TypeError('Failed to resolve module specifier "lodash"')
    })
    await expect(loadPlugin(f, { importer: failing })).rejects.toThrow(
      /plugin “demo” could not be loaded: Failed to resolve module specifier "lodash"/,
    )
    const working = vi.fn(async () => ({ default: Widget }))
    await expect(loadPlugin(f, { importer: working })).resolves.toBeTruthy()
    expect(working).toHaveBeenCalledTimes(1)
  })

  it('gives up after the time limit', async () => {
    const never = () => new Promise<Record<string, unknown>>(() => undefined)
    await expect(loadPlugin(frontend(), { importer: never, timeoutMs: 30 })).rejects.toMatchObject({
      kind: 'timeout',
      message: expect.stringMatching(/did not load within/),
    })
  })

  it('refuses a catalogue entry whose declared range excludes 1 without importing', async () => {
    const importer = vi.fn(async () => ({ default: Widget }))
    await expect(loadPlugin(frontend({ plugin_api: '>=2' }), { importer })).rejects.toMatchObject({ kind: 'version' })
    expect(importer).not.toHaveBeenCalled()
  })
})

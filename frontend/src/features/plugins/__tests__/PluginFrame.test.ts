import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { enableAutoUnmount, flushPromises } from '@vue/test-utils'
import PluginFrame from '../PluginFrame.vue'
import type { PluginFrontend } from '../types'
import { mockApi, mountWidget, placement } from '@/widgets/__tests__/harness'

const frontend: PluginFrontend = {
  module: '/plugins/heatmap/0.1.0/heatmap.js',
  css: [],
  mode: 'iframe',
  frame: '/plugins/heatmap/0.1.0/frame.html',
  plugin: 'heatmap',
  version: '0.1.0',
  core_reads: ['/api/tickets'],
  events: ['plugin.heatmap.', 'ticket.'],
}

enableAutoUnmount(afterEach)
afterEach(() => {
  document.body.innerHTML = ''
})

async function mountFrame() {
  mockApi({ '/api/plugins/heatmap/cells': { cells: [], max: 0 } })
  const Host = defineComponent({
    inheritAttrs: false,
    setup: () => () => h(PluginFrame, { widget: placement('ticket-heatmap', { days: 7 }, 'heat'), editing: false, frontend }),
  })
  const mounted = await mountWidget(Host, placement('x'))
  const iframe = mounted.wrapper.find('iframe').element as HTMLIFrameElement
  const frameWindow = iframe.contentWindow!
  const posted = vi.spyOn(frameWindow, 'postMessage').mockImplementation(() => undefined)
  const say = (data: unknown, source: MessageEventSource | null = frameWindow, origin = 'null') =>
    window.dispatchEvent(new MessageEvent('message', { data, source, origin }))
  return { ...mounted, iframe, frameWindow, posted, say }
}

describe('the sandboxed plugin frame', () => {
  it('is sandboxed to scripts only and points at the frame page for its type', async () => {
    const { iframe } = await mountFrame()
    expect(iframe.getAttribute('sandbox')).toBe('allow-scripts')
    expect(iframe.getAttribute('src')).toBe('/plugins/heatmap/0.1.0/frame.html?type=ticket-heatmap')
  })

  it('answers only its own frame, from the sandbox’s opaque origin', async () => {
    const { posted, say, frameWindow } = await mountFrame()
    say({ deskboard: 1, kind: 'ready' }, window) // another window
    say({ deskboard: 1, kind: 'ready' }, null, 'null') // no source
    say({ deskboard: 1, kind: 'ready' }, frameWindow, 'http://evil.example') // not the sandbox's origin
    say({ kind: 'ready' }) // not the protocol
    expect(posted).not.toHaveBeenCalled()
    say({ deskboard: 1, kind: 'ready' })
    expect(posted).toHaveBeenCalledTimes(1)
    const [message, target] = posted.mock.calls[0]!
    expect(target).toBe('*')
    expect(message).toMatchObject({
      deskboard: 1,
      kind: 'init',
      plugin: { name: 'heatmap', version: '0.1.0' },
      props: { widgetId: 'heat', type: 'ticket-heatmap', settings: { days: 7 }, editing: false },
    })
  })

  it('runs calls through the allow-list and answers them', async () => {
    const { posted, say } = await mountFrame()
    say({ deskboard: 1, kind: 'call', id: 1, call: { op: 'api', method: 'GET', path: 'cells', query: { days: 7 } } })
    say({ deskboard: 1, kind: 'call', id: 2, call: { op: 'api', method: 'DELETE', path: '/api/tickets/1' } })
    await vi.waitFor(() => expect(posted).toHaveBeenCalledTimes(2))
    const answers = posted.mock.calls.map(([m]) => m as { id: number; ok: boolean })
    expect(answers.find((a) => a.id === 1)).toMatchObject({ ok: true, value: { cells: [], max: 0 } })
    expect(answers.find((a) => a.id === 2)).toMatchObject({ ok: false, error: { status: 403 } })
  })

  it('shows the error card when the frame reports a failure', async () => {
    const { wrapper, say } = await mountFrame()
    say({ deskboard: 1, kind: 'failed', message: 'boom inside' })
    await flushPromises()
    expect(wrapper.find('[data-testid="plugin-error-message"]').text()).toBe('boom inside')
  })
})

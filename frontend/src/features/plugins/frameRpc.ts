/**
 * The host's side of a sandboxed plugin frame: each call is checked against the plugin's grants
 * (the same functions as in-page), answered to that frame only, and subscriptions end with it.
 */
import { PluginApiError, eventAllowed, type PluginScope, type Query } from '@deskboard/sdk'
import { pluginRequest, type HostServices } from './pluginContext'
import { PROTOCOL, type FrameCall, type HostMessage } from './frameProtocol'

export interface FrameRpc {
  handle(id: number, call: FrameCall): Promise<void>
  dispose(): void
}

const MAX_SUBSCRIPTIONS = 50

export function createFrameRpc(scope: PluginScope, services: HostServices, post: (message: HostMessage) => void): FrameRpc {
  const subscriptions = new Map<number, () => void>()

  function answer(id: number, outcome: { value: unknown } | { error: unknown }): void {
    if ('value' in outcome) {
      post({ deskboard: PROTOCOL, kind: 'result', id, ok: true, value: outcome.value ?? null })
      return
    }
    const error = outcome.error
    const status = error instanceof PluginApiError ? error.status : 0
    const message = error instanceof Error ? error.message : String(error)
    post({ deskboard: PROTOCOL, kind: 'result', id, ok: false, error: { status, message } })
  }

  async function run(call: FrameCall): Promise<unknown> {
    switch (call.op) {
      case 'api':
        return pluginRequest(scope, services, String(call.method), String(call.path), {
          query: (call.query ?? undefined) as Query | undefined,
          body: call.body,
        })
      case 'subscribe': {
        const type = String(call.type)
        if (!eventAllowed(scope, type)) {
          throw new PluginApiError(403, `Refused by Deskboard: plugin “${scope.plugin}” may not receive “${type}” events`)
        }
        if (subscriptions.size >= MAX_SUBSCRIPTIONS) throw new PluginApiError(429, 'Too many subscriptions')
        const subscription = Number(call.subscription)
        subscriptions.get(subscription)?.()
        subscriptions.set(
          subscription,
          services.subscribe(type, (event) => post({ deskboard: PROTOCOL, kind: 'event', subscription, event })),
        )
        return null
      }
      case 'unsubscribe': {
        const subscription = Number(call.subscription)
        subscriptions.get(subscription)?.()
        subscriptions.delete(subscription)
        return null
      }
      case 'openTicket':
        services.ui.openTicket(Number(call.id))
        return null
      case 'openTicketList':
        if (typeof call.filter !== 'object' || call.filter === null) throw new PluginApiError(400, 'A filter object is required')
        services.ui.openTicketList(call.filter)
        return null
      case 'toast':
        services.ui.toast(String(call.message), call.kind === 'success' || call.kind === 'error' ? call.kind : 'info')
        return null
      default:
        throw new PluginApiError(400, `Unknown call “${String((call as { op?: unknown }).op)}”`)
    }
  }

  return {
    async handle(id, call) {
      try {
        answer(id, { value: await run(call) })
      } catch (error) {
        answer(id, { error })
      }
    },
    dispose() {
      subscriptions.forEach((stop) => stop())
      subscriptions.clear()
    },
  }
}

/**
 * The postMessage protocol between the dashboard and a sandboxed plugin frame. Every message
 * carries `deskboard: 1`; anything else on the channel is ignored.
 */
import type { PluginEvent, PluginWidgetProps } from '@deskboard/sdk'

export const PROTOCOL = 1

export type FrameCall =
  | { op: 'api'; method: string; path: string; query?: Record<string, unknown>; body?: unknown }
  | { op: 'subscribe'; type: string; subscription: number }
  | { op: 'unsubscribe'; subscription: number }
  | { op: 'openTicket'; id: number }
  | { op: 'openTicketList'; filter: Record<string, unknown> }
  | { op: 'toast'; message: string; kind?: string }

/** Frame -> host. */
export type FrameMessage =
  | { deskboard: 1; kind: 'ready' }
  | { deskboard: 1; kind: 'mounted' }
  | { deskboard: 1; kind: 'failed'; message: string }
  | { deskboard: 1; kind: 'call'; id: number; call: FrameCall }

/** Host -> frame. */
export type HostMessage =
  | {
      deskboard: 1
      kind: 'init'
      props: PluginWidgetProps
      tokens: Record<string, string>
      plugin: { name: string; version: string }
    }
  | { deskboard: 1; kind: 'props'; props: PluginWidgetProps; tokens: Record<string, string> }
  | { deskboard: 1; kind: 'result'; id: number; ok: true; value: unknown }
  | { deskboard: 1; kind: 'result'; id: number; ok: false; error: { status: number; message: string } }
  | { deskboard: 1; kind: 'event'; subscription: number; event: PluginEvent }

export function isFrameMessage(data: unknown): data is FrameMessage {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { deskboard?: unknown }).deskboard === PROTOCOL &&
    typeof (data as { kind?: unknown }).kind === 'string'
  )
}

/** The theme's CSS variables, copied into the frame so a plugin looks like the rest. */
export const THEME_TOKENS = [
  '--color-bg',
  '--color-surface',
  '--color-surface-2',
  '--color-border',
  '--color-text',
  '--color-text-muted',
  '--color-primary',
  '--color-primary-text',
  '--color-danger',
  '--color-success',
  '--color-warning',
  '--color-focus',
  '--radius',
  '--radius-sm',
  '--space-1',
  '--space-2',
  '--space-3',
  '--space-4',
  '--font-sans',
] as const

/**
 * One ticket with its conversation and history, for the drawer and the ticket-detail widget:
 * loads them, refreshes on ticket events, and saves edits with the version the edit started
 * from. A 409 is never swallowed: the current ticket replaces the stale one and `conflict` says
 * what was not saved, so the person can look and apply it again.
 */
import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue'
import { isApiError } from '@/api'
import { useServerEvents, TICKET_EVENTS } from '@/realtime/useServerEvents'
import { onLocalTicketChange } from './localChanges'
import { rememberPeople } from './people'
import {
  addComment,
  conflictCurrent,
  getTicket,
  listComments,
  listHistory,
  type Comment,
  type TicketChange,
  type TicketChanges,
  type TicketFull,
  updateTicket,
} from './api'

export type LoadState = 'idle' | 'loading' | 'ready' | 'missing' | 'error'

export interface Conflict {
  message: string
  /** The edit that was refused, to apply again on the current version. */
  changes: TicketChanges
}

export function describeChanges(changes: TicketChanges): string {
  return Object.entries(changes)
    .map(([field, value]) => `${field.replace(/_id$/, '')} → ${Array.isArray(value) ? value.join(', ') || 'none' : (value ?? 'none')}`)
    .join(', ')
}

export function useTicket(id: Ref<number | null>, options: { withHistory?: () => boolean } = {}) {
  const ticket = shallowRef<TicketFull | null>(null)
  const comments = shallowRef<Comment[]>([])
  const history = shallowRef<TicketChange[]>([])
  const state = ref<LoadState>('idle')
  const errorText = ref('')
  const saving = ref(false)
  const saveError = ref('')
  const conflict = ref<Conflict | null>(null)
  let controller: AbortController | null = null

  async function load(quiet = false): Promise<void> {
    controller?.abort()
    const ticketId = id.value
    if (ticketId === null) {
      ticket.value = null
      state.value = 'idle'
      return
    }
    const current = new AbortController()
    controller = current
    if (!quiet || state.value !== 'ready') state.value = 'loading'
    try {
      const withHistory = options.withHistory?.() ?? true
      const [found, conversation, changes] = await Promise.all([
        getTicket(ticketId, current.signal),
        listComments(ticketId, current.signal),
        withHistory ? listHistory(ticketId, current.signal) : Promise.resolve([] as TicketChange[]),
      ])
      rememberPeople([found.requester, found.assignee, ...conversation.map((c) => c.author), ...changes.map((c) => c.actor)])
      ticket.value = found
      comments.value = conversation
      history.value = changes
      state.value = 'ready'
    } catch (error) {
      if (current.signal.aborted) return
      if (isApiError(error) && (error.status === 404 || error.status === 403)) state.value = 'missing'
      else {
        errorText.value = error instanceof Error ? error.message : 'The ticket could not be loaded'
        state.value = 'error'
      }
    }
  }

  async function save(changes: TicketChanges): Promise<boolean> {
    const base = ticket.value
    if (!base) return false
    saving.value = true
    saveError.value = ''
    conflict.value = null
    try {
      ticket.value = await updateTicket(base, changes)
      void refreshSide()
      return true
    } catch (error) {
      const current = conflictCurrent(error)
      if (current) {
        ticket.value = { ...base, ...current }
        conflict.value = {
          message: 'Someone else changed this ticket while you were looking at it. It now shows the current version; your change was not saved.',
          changes,
        }
        void refreshSide()
      } else {
        saveError.value = error instanceof Error ? error.message : 'The change could not be saved'
      }
      return false
    } finally {
      saving.value = false
    }
  }

  /** Apply the refused edit again, on the version now shown. */
  function retryConflict(): Promise<boolean> {
    const refused = conflict.value
    return refused ? save(refused.changes) : Promise.resolve(false)
  }

  async function reply(body: string, internal: boolean, attachmentIds: number[] = []): Promise<Comment> {
    const ticketId = id.value
    if (ticketId === null) throw new Error('No ticket is open')
    const comment = await addComment(ticketId, body, internal, attachmentIds)
    comments.value = [...comments.value, comment]
    void load(true)
    return comment
  }

  /** Comments and history after an edit (the ticket itself came back from the PUT). */
  async function refreshSide(): Promise<void> {
    const ticketId = id.value
    if (ticketId === null) return
    try {
      const withHistory = options.withHistory?.() ?? true
      const [conversation, changes] = await Promise.all([
        listComments(ticketId),
        withHistory ? listHistory(ticketId) : Promise.resolve([] as TicketChange[]),
      ])
      comments.value = conversation
      history.value = changes
    } catch {
      // The edit itself succeeded; the side panels refresh on the next event.
    }
  }

  watch(id, () => {
    conflict.value = null
    saveError.value = ''
    void load()
  }, { immediate: true })

  // Another person's change to this ticket (or a resync) reloads it quietly.
  let timer: ReturnType<typeof setTimeout> | null = null
  useServerEvents(TICKET_EVENTS, (event) => {
    const data = event?.data as { id?: unknown } | undefined
    if (event && data?.id !== undefined && data.id !== id.value) return
    if (timer !== null) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      if (event?.type === 'ticket.deleted') state.value = 'missing'
      else void load(true)
    }, 300)
  })
  // The same ticket changed by another view in this tab (the list, the drawer, a widget).
  onLocalTicketChange((change) => {
    if (change.ticket.id !== id.value) return
    if (change.kind === 'updated' && change.ticket.version === ticket.value?.version) return // this view's own edit
    void load(true)
  })

  onBeforeUnmount(() => {
    controller?.abort()
    if (timer !== null) clearTimeout(timer)
  })

  return { ticket, comments, history, state, errorText, saving, saveError, conflict, load, save, retryConflict, reply }
}

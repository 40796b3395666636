import { merge, sameGrid, sameWidget, type ConflictPolicy } from './merge'
import type { LayoutConflict, LayoutDocument, SaveStatus } from './types'

/**
 * Local-first persistence of one person's layout, without Vue: every edit is kept in memory and
 * in storage at once, then saved by a debounced request (one in flight at a time). Network
 * failures keep the edits queued and retry with backoff; a 409 is merged at widget level.
 */

/** Why a save failed, as the transport reports it. */
export interface SaveFailure {
  status: number // 0: no answer (offline)
  message: string
  /** The server's current document on a 409. */
  current?: LayoutDocument | null
}

export interface LayoutTransport {
  /** The saved layout, or null when none is saved (404). */
  fetchLayout(): Promise<LayoutDocument | null>
  /** The role template as a document of version 0 (never saved). */
  fetchTemplate(): Promise<LayoutDocument>
  create(doc: LayoutDocument): Promise<LayoutDocument>
  replace(doc: LayoutDocument): Promise<LayoutDocument>
  /** DELETE one widget (the seed's endpoint); used when a removal is the only pending edit. */
  removeWidget?(id: string): Promise<LayoutDocument>
  /** Turn a thrown error into a SaveFailure (status 0 for network errors). */
  describe(error: unknown): SaveFailure
}

export interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export interface SyncOptions {
  transport: LayoutTransport
  storage: KeyValueStorage | null
  storageKey: string
  isOnline?: () => boolean
  /** Whether the person is editing now (a remote change then waits for their decision). */
  isEditing?: () => boolean
  /** False for read-only roles: nothing is ever sent. */
  canWrite?: boolean
  debounceMs?: number
  maxRetryMs?: number
  random?: () => number
  setTimer?: (callback: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

/** What storage keeps, so a reload finds unsent edits. */
export interface PersistedLayout {
  format: 1
  local: LayoutDocument
  base: LayoutDocument | null
  dirty: boolean
  onServer: boolean
}

export type ChangeCause = 'edit' | 'server' | 'status'

export interface SyncSnapshot {
  document: LayoutDocument | null
  status: SaveStatus
  conflict: LayoutConflict | null
  remotePending: LayoutDocument | null
  lastError: string | null
}

export function sameContent(a: LayoutDocument | null, b: LayoutDocument | null): boolean {
  if (a === b) return true
  if (!a || !b) return false
  if (!sameGrid(a.grid, b.grid) || a.widgets.length !== b.widgets.length) return false
  return a.widgets.every((widget, index) => sameWidget(widget, b.widgets[index]))
}

/** The id of the one widget `local` lacks when that is its only difference from `base`. */
export function singleRemoval(base: LayoutDocument | null, local: LayoutDocument): string | null {
  if (!base || !sameGrid(base.grid, local.grid) || base.widgets.length !== local.widgets.length + 1) return null
  let removed: string | null = null
  let j = 0
  for (const widget of base.widgets) {
    if (j < local.widgets.length && sameWidget(widget, local.widgets[j])) {
      j++
    } else if (removed === null) {
      removed = widget.id
    } else {
      return null
    }
  }
  return j === local.widgets.length ? removed : null
}

function isDocument(value: unknown): value is LayoutDocument {
  if (!value || typeof value !== 'object') return false
  const doc = value as Partial<LayoutDocument>
  return typeof doc.version === 'number' && Array.isArray(doc.widgets) && !!doc.grid
}

export class LayoutSync {
  private local: LayoutDocument | null = null
  /** The server document the local edits start from (a template when none is saved). */
  private base: LayoutDocument | null = null
  private onServer = false
  private dirty = false
  private inFlight = false
  private timer: unknown = null
  private attempt = 0
  private failure: SaveFailure | null = null
  private stashedRemote: LayoutDocument | null = null
  private loadedFromCacheOnly = false
  private disposed = false
  private conflict: LayoutConflict | null = null
  private remotePending: LayoutDocument | null = null
  private listeners = new Set<(snapshot: SyncSnapshot, cause: ChangeCause) => void>()
  private readonly o: Required<Omit<SyncOptions, 'storage'>> & { storage: KeyValueStorage | null }

  constructor(options: SyncOptions) {
    this.o = {
      isOnline: () => true,
      isEditing: () => false,
      canWrite: true,
      debounceMs: 600,
      maxRetryMs: 30_000,
      random: Math.random,
      setTimer: (callback, ms) => setTimeout(callback, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      ...options,
    }
  }

  subscribe(listener: (snapshot: SyncSnapshot, cause: ChangeCause) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  snapshot(): SyncSnapshot {
    return {
      document: this.local,
      status: this.status(),
      conflict: this.conflict,
      remotePending: this.remotePending,
      lastError: this.failure && this.failure.status !== 0 ? this.failure.message : null,
    }
  }

  get hasUnsavedChanges(): boolean {
    return this.dirty || this.inFlight
  }

  private status(): SaveStatus {
    if (this.failure) return this.failure.status === 0 ? 'offline' : 'error'
    if (this.conflict) return 'error'
    if (this.dirty || this.inFlight) return this.o.isOnline() ? 'saving' : 'offline'
    return 'saved'
  }

  private emit(cause: ChangeCause): void {
    const snapshot = this.snapshot()
    this.listeners.forEach((listener) => listener(snapshot, cause))
  }

  // --- storage --------------------------------------------------------------------------

  readPersisted(): PersistedLayout | null {
    const storage = this.o.storage
    if (!storage) return null
    try {
      const raw = storage.getItem(this.o.storageKey)
      if (!raw) return null
      const value = JSON.parse(raw) as Partial<PersistedLayout>
      if (value.format !== 1 || !isDocument(value.local)) return null
      return {
        format: 1,
        local: value.local,
        base: isDocument(value.base) ? value.base : null,
        dirty: value.dirty === true,
        onServer: value.onServer === true,
      }
    } catch {
      return null // unreadable: the server copy wins
    }
  }

  private persist(): void {
    const storage = this.o.storage
    if (!storage || !this.local) return
    const record: PersistedLayout = {
      format: 1,
      local: this.local,
      base: this.base,
      dirty: this.dirty,
      onServer: this.onServer,
    }
    try {
      storage.setItem(this.o.storageKey, JSON.stringify(record))
    } catch {
      // Quota or privacy mode: the edit still lives in memory and is being saved.
    }
  }

  // --- loading --------------------------------------------------------------------------

  /**
   * Show the layout: the server's, unless storage holds edits that were never sent, which
   * are kept (merged onto the server's newer version when it moved on meanwhile).
   */
  async load(): Promise<void> {
    const persisted = this.readPersisted()
    let server: LayoutDocument | null
    let template: LayoutDocument | null = null
    try {
      server = await this.o.transport.fetchLayout()
      if (!server) template = await this.o.transport.fetchTemplate()
    } catch (error) {
      const failure = this.o.transport.describe(error)
      if (persisted && (failure.status === 0 || failure.status >= 500)) {
        // Offline: show what this browser last had, and settle up when the network returns.
        this.adopt(persisted)
        this.loadedFromCacheOnly = true
        this.failure = failure
        this.scheduleRetry()
        this.emit('server')
        return
      }
      throw error
    }
    this.loadedFromCacheOnly = false
    this.failure = null
    this.settle(persisted, server, template)
    this.persist()
    this.emit('server')
    if (this.dirty) this.schedule(0)
  }

  private adopt(persisted: PersistedLayout): void {
    this.local = persisted.local
    this.base = persisted.base
    this.dirty = persisted.dirty
    this.onServer = persisted.onServer
  }

  private settle(
    persisted: PersistedLayout | null,
    server: LayoutDocument | null,
    template: LayoutDocument | null,
  ): void {
    this.conflict = null
    this.remotePending = null
    const unsent = persisted && persisted.dirty && this.o.canWrite ? persisted : null
    if (!unsent) {
      const doc = server ?? (template as LayoutDocument)
      this.local = doc
      this.base = doc
      this.onServer = server !== null
      this.dirty = false
      return
    }
    if (!server) {
      // Nothing saved yet (or it was deleted): the unsent edits become the first version.
      this.local = { ...unsent.local, version: 0 }
      this.base = unsent.onServer ? template : (unsent.base ?? template)
      this.onServer = false
      this.dirty = true
      return
    }
    this.onServer = true
    if (unsent.onServer && unsent.base && unsent.base.version === server.version) {
      this.local = { ...unsent.local, version: server.version }
      this.base = server
      this.dirty = !sameContent(this.local, server)
      return
    }
    // The server moved on (another device saved) while these edits waited: merge them.
    this.reconcile(unsent.onServer ? unsent.base : (unsent.base ?? null), unsent.local, server)
  }

  /** Merge local edits (made on `base`) with the server's `theirs`; conflicts wait for a choice. */
  private reconcile(base: LayoutDocument | null, mine: LayoutDocument, theirs: LayoutDocument): void {
    const result = merge(base, mine, theirs, 'report')
    this.onServer = theirs.version > 0
    // A waiting remote version this merge already includes needs no decision any more.
    if (this.remotePending && this.remotePending.version <= theirs.version) this.remotePending = null
    if (result.conflicts.length) {
      this.conflict = { mine, theirs, base, widgetIds: result.conflicts }
      this.local = mine
      this.base = base
      this.dirty = true
      return
    }
    this.conflict = null
    this.local = result.doc
    this.base = theirs
    this.dirty = !sameContent(result.doc, theirs)
  }

  // --- local edits ----------------------------------------------------------------------

  /** Take a new local document (an edit); saved after the debounce. */
  edit(next: LayoutDocument): void {
    if (!this.local || next === this.local) return
    this.local = { ...next, version: this.local.version }
    this.dirty = true
    // A refused save (422 ...) is retried with the new edit; only a network failure persists.
    if (this.failure && this.failure.status !== 0) this.failure = null
    this.persist()
    this.emit('edit')
    this.schedule(this.o.debounceMs)
  }

  // --- saving ---------------------------------------------------------------------------

  private schedule(ms: number): void {
    if (this.disposed || !this.o.canWrite) return
    if (this.timer !== null) this.o.clearTimer(this.timer)
    this.timer = this.o.setTimer(() => {
      this.timer = null
      void this.flush()
    }, ms)
  }

  private scheduleRetry(): void {
    const ceiling = Math.min(this.o.maxRetryMs, 1000 * 2 ** this.attempt)
    this.attempt = Math.min(this.attempt + 1, 16)
    // Jitter spreads the retries of many tabs that lost the network together.
    this.schedule(Math.round(ceiling * (0.5 + this.o.random() * 0.5)))
  }

  /** Send the pending edits now (one request at a time); resolves when this attempt ends. */
  async flush(): Promise<void> {
    if (this.loadedFromCacheOnly) {
      await this.retryLoad()
      return
    }
    if (this.inFlight || !this.dirty || this.conflict || !this.local || !this.o.canWrite) return
    if (this.timer !== null) {
      this.o.clearTimer(this.timer)
      this.timer = null
    }
    const sent = this.local
    const creating = !this.onServer
    this.inFlight = true
    this.emit('status')
    const removal = creating || !this.o.transport.removeWidget ? null : singleRemoval(this.base, sent)
    try {
      let saved: LayoutDocument
      if (creating) saved = await this.o.transport.create(sent)
      else if (removal && this.o.transport.removeWidget) saved = await this.o.transport.removeWidget(removal)
      else saved = await this.o.transport.replace({ ...sent, version: this.base?.version ?? sent.version })
      this.inFlight = false
      this.onSaved(sent, saved)
    } catch (error) {
      this.inFlight = false
      this.onFailed(this.o.transport.describe(error), creating)
    }
    const stashed = this.stashedRemote
    this.stashedRemote = null
    if (stashed) this.applyRemote(stashed)
  }

  private onSaved(sent: LayoutDocument, saved: LayoutDocument): void {
    this.failure = null
    this.attempt = 0
    this.onServer = true
    this.base = saved
    if (this.local === sent) {
      this.local = saved // the server's copy (it may normalise settings)
      this.dirty = false
    } else {
      // Edits made during the request were made on top of what was just saved.
      this.local = { ...(this.local as LayoutDocument), version: saved.version, updated_at: saved.updated_at }
      this.dirty = !sameContent(this.local, saved)
    }
    this.persist()
    this.emit('status')
    if (this.dirty) this.schedule(this.o.debounceMs)
  }

  private onFailed(failure: SaveFailure, creating: boolean): void {
    if (failure.status === 409 && failure.current && isDocument(failure.current)) {
      this.failure = null
      this.attempt = 0
      this.reconcile(this.base, this.local as LayoutDocument, failure.current)
      this.persist()
      this.emit(this.conflict ? 'status' : 'server')
      if (!this.conflict && this.dirty) this.schedule(0)
      return
    }
    if (failure.status === 409) {
      // A conflict without the current document (a lost race on the first save): fetch it.
      void this.refetchAndReconcile()
      return
    }
    if (failure.status === 404 && !creating && this.base && singleRemoval(this.base, this.local as LayoutDocument)) {
      // The widget was already gone on the server: settle with its current version.
      void this.refetchAndReconcile()
      return
    }
    if (failure.status === 404 && !creating) {
      // The saved layout is gone (deleted by an admin): save ours as the first version again.
      this.onServer = false
      this.persist()
      this.schedule(0)
      return
    }
    this.failure = failure
    this.emit('status')
    const transient = failure.status === 0 || failure.status === 429 || failure.status >= 500
    if (transient) this.scheduleRetry()
  }

  private async refetchAndReconcile(): Promise<void> {
    this.inFlight = true
    try {
      const current = await this.o.transport.fetchLayout()
      this.inFlight = false
      if (current) {
        this.onFailed({ status: 409, message: 'conflict', current }, false)
      } else {
        this.onServer = false
        this.schedule(0)
      }
    } catch (error) {
      this.inFlight = false
      const failure = this.o.transport.describe(error)
      this.onFailed(failure.status === 409 ? { ...failure, status: 500 } : failure, false)
    }
  }

  private async retryLoad(): Promise<void> {
    try {
      await this.load()
    } catch (error) {
      this.failure = this.o.transport.describe(error)
      this.emit('status')
      this.scheduleRetry()
    }
  }

  /** The browser is back online: retry at once instead of waiting for the backoff. */
  online(): void {
    this.attempt = 0
    if (this.failure?.status === 0) this.failure = null
    this.emit('status')
    if (this.dirty || this.loadedFromCacheOnly) this.schedule(0)
  }

  offline(): void {
    this.emit('status')
  }

  // --- remote changes and conflicts -----------------------------------------------------

  /** A newer version saved elsewhere (realtime `layout.updated`). */
  applyRemote(remote: LayoutDocument): void {
    if (!this.local || !isDocument(remote)) return
    const known = Math.max(
      this.base?.version ?? 0,
      this.remotePending?.version ?? 0,
      this.conflict?.theirs.version ?? 0,
    )
    if (this.onServer && remote.version <= known) return
    if (this.inFlight) {
      if (!this.stashedRemote || remote.version > this.stashedRemote.version) this.stashedRemote = remote
      return
    }
    // In edit mode a different layout never replaces the one being worked on (even when its
    // edits are saved already): it waits for the person's choice, merge or discard.
    const holdForEditor = this.o.isEditing() && !sameContent(this.local, remote)
    if (!this.dirty && !this.conflict && !holdForEditor) {
      this.local = remote
      this.base = remote
      this.onServer = true
      this.remotePending = null
      this.persist()
      this.emit('server')
      return
    }
    this.remotePending = remote
    if (holdForEditor || this.conflict) {
      this.emit('status')
      return
    }
    this.mergeRemote()
  }

  /**
   * A version the person made themselves on the server (restoring one from history): show it at
   * once, in edit mode too, where a version from elsewhere would wait for a choice. Edits made
   * since (unsent or in flight) are merged onto it as usual rather than dropped.
   */
  adoptOwn(doc: LayoutDocument): void {
    if (!this.local || !isDocument(doc)) return
    if (this.dirty || this.inFlight || this.conflict) {
      this.applyRemote(doc)
      return
    }
    this.remotePending = null
    this.local = doc
    this.base = doc
    this.onServer = true
    this.persist()
    this.emit('server')
  }

  /**
   * Events were missed (realtime `resync`): read the server's version and take it as one from
   * elsewhere, so that in edit mode it waits for the person's choice like any other.
   */
  async refetch(): Promise<void> {
    if (!this.local) return
    if (this.loadedFromCacheOnly) return this.retryLoad()
    let server: LayoutDocument | null
    try {
      server = await this.o.transport.fetchLayout()
    } catch {
      return // unreachable: the reconnect that follows asks again
    }
    if (server && !this.disposed) this.applyRemote(server)
  }

  /** Merge the pending remote version into the local edits (a conflict may follow). */
  mergeRemote(): void {
    const remote = this.remotePending
    if (!remote || !this.local) return
    this.remotePending = null
    if (this.timer !== null) {
      this.o.clearTimer(this.timer)
      this.timer = null
    }
    this.reconcile(this.base, this.local, remote)
    this.persist()
    this.emit('server')
    if (!this.conflict && this.dirty) this.schedule(this.o.debounceMs)
  }

  /** Drop the local unsaved edits and show the pending remote version (the person chose so). */
  discardLocal(): void {
    const remote = this.remotePending
    if (!remote) return
    this.remotePending = null
    this.local = remote
    this.base = remote
    this.onServer = true
    this.dirty = false
    this.conflict = null
    this.persist()
    this.emit('server')
  }

  /**
   * Settle a conflict: 'mine' keeps my version of the contested widgets (overwriting theirs),
   * 'theirs' takes theirs, 'copy' takes theirs and adds mine as copies. Changes that did not
   * conflict are kept from both sides in every case.
   */
  resolveConflict(choice: 'mine' | 'theirs' | 'copy'): void {
    const conflict = this.conflict
    if (!conflict || !this.local) return
    const policy: ConflictPolicy = choice
    const result = merge(conflict.base, this.local, conflict.theirs, policy)
    this.conflict = null
    this.failure = null
    // A remote version no newer than the one just settled with needs no second decision.
    if (this.remotePending && this.remotePending.version <= conflict.theirs.version) this.remotePending = null
    this.local = result.doc
    this.base = conflict.theirs
    this.onServer = conflict.theirs.version > 0
    this.dirty = !sameContent(result.doc, conflict.theirs)
    this.persist()
    this.emit('server')
    if (this.dirty) this.schedule(0)
  }

  dispose(): void {
    this.disposed = true
    if (this.timer !== null) this.o.clearTimer(this.timer)
    this.timer = null
    this.listeners.clear()
  }
}

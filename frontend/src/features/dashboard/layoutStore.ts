import { computed, ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import { api } from '@/api'
import { useAuthStore } from '@/features/auth/authStore'
import * as edits from './state/edits'
import { sameWidget } from './state/merge'
import { LayoutSync, type ChangeCause, type SyncSnapshot } from './state/sync'
import { UndoStack } from './state/undoStack'
import type {
  Geometry,
  LayoutConflict,
  LayoutDocument,
  Placement,
  SaveStatus,
  WidgetTypeInfo,
} from './state/types'
import { createLayoutTransport } from './layoutTransport'

export const LAYOUT_STORAGE_PREFIX = 'deskboard.layout.v1.'

/** The ids of the widgets of `next` that are new or different from `previous`. */
export function changedWidgetIds(previous: LayoutDocument, next: LayoutDocument): string[] {
  const before = new Map(previous.widgets.map((w) => [w.id, w]))
  return next.widgets.filter((w) => !sameWidget(before.get(w.id), w)).map((w) => w.id)
}

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

function isOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false
}

/**
 * The dashboard's layout: the one place the canvas, gallery, settings editor and history read
 * and change it. Edits apply at once (store + localStorage) and are saved in the background by
 * LayoutSync (state/sync.ts); this store adds undo/redo and Vue reactivity.
 */
export const useLayoutStore = defineStore('layout', () => {
  const document = shallowRef<LayoutDocument | null>(null)
  const catalogue = ref<WidgetTypeInfo[]>([])
  const editing = ref(false)
  const saveStatus = ref<SaveStatus>('saved')
  const conflict = shallowRef<LayoutConflict | null>(null)
  const remotePending = shallowRef<LayoutDocument | null>(null)
  const loading = ref(false)
  const loadError = ref<string | null>(null)
  const lastError = ref<string | null>(null)
  /**
   * Widgets that just changed because of a version from elsewhere, each with the time
   * (ms, growing on every such change) it did: the canvas highlights them briefly.
   */
  const remoteChanges = shallowRef<ReadonlyMap<string, number>>(new Map())
  let lastRemoteChange = 0
  const undoStack = new UndoStack()
  const undoTick = ref(0) // the stack is plain; bump to recompute canUndo/canRedo
  const canUndo = computed(() => (undoTick.value, undoStack.canUndo))
  const canRedo = computed(() => (undoTick.value, undoStack.canRedo))

  let sync: LayoutSync | null = null
  let syncOwner: number | null = null

  function markRemoteChanges(previous: LayoutDocument | null, next: LayoutDocument | null): void {
    if (!previous || !next || previous === next) return
    const ids = changedWidgetIds(previous, next)
    if (!ids.length) return
    const marks = new Map(remoteChanges.value)
    lastRemoteChange = Math.max(Date.now(), lastRemoteChange + 1)
    for (const id of ids) marks.set(id, lastRemoteChange)
    remoteChanges.value = marks
  }

  function onSync(snapshot: SyncSnapshot, cause: ChangeCause): void {
    if (cause === 'server') markRemoteChanges(document.value, snapshot.document)
    document.value = snapshot.document
    saveStatus.value = snapshot.status
    conflict.value = snapshot.conflict
    remotePending.value = snapshot.remotePending
    lastError.value = snapshot.lastError
    // A version from elsewhere replaced the document: undoing would revert someone else's work.
    if (cause === 'server') clearUndo()
  }

  function ensureSync(): LayoutSync {
    const auth = useAuthStore()
    const user = auth.user
    if (!user) throw new edits.EditError('Sign in to see your dashboard')
    if (sync && syncOwner === user.id) return sync
    sync?.dispose()
    syncOwner = user.id
    sync = new LayoutSync({
      transport: createLayoutTransport(user.id, user.role),
      storage: browserStorage(),
      storageKey: `${LAYOUT_STORAGE_PREFIX}${user.id}`,
      isOnline,
      isEditing: () => editing.value,
      canWrite: auth.canEdit,
    })
    sync.subscribe(onSync)
    return sync
  }

  function catalogueEntry(type: string): WidgetTypeInfo | undefined {
    return catalogue.value.find((entry) => entry.type === type)
  }

  /** The catalogue was asked for and answered (or failed): a type missing from it is missing. */
  const catalogueSettled = ref(false)

  async function loadCatalogue(): Promise<void> {
    try {
      catalogue.value = await api.get<WidgetTypeInfo[]>('/api/widgets')
    } finally {
      catalogueSettled.value = true
    }
  }

  let loadingNow: Promise<void> | null = null

  /** Read the layout and the catalogue; a call while a load is running joins it. */
  function load(): Promise<void> {
    loadingNow ??= loadOnce().finally(() => (loadingNow = null))
    return loadingNow
  }

  async function loadOnce(): Promise<void> {
    loading.value = true
    loadError.value = null
    try {
      const engine = ensureSync()
      const [, layout] = await Promise.allSettled([loadCatalogue(), engine.load()])
      if (layout.status === 'rejected') throw layout.reason
    } catch (error) {
      loadError.value = error instanceof Error ? error.message : String(error)
    } finally {
      loading.value = false
    }
  }

  function commit(next: LayoutDocument): void {
    const current = document.value
    if (!current || next === current || !sync) return
    undoStack.record(current.widgets)
    undoTick.value++
    sync.edit(next)
  }

  function requireDocument(): LayoutDocument {
    if (!document.value) throw new edits.EditError('The layout is not loaded yet')
    return document.value
  }

  function addWidget(type: string, at?: Placement): string {
    const info = catalogueEntry(type)
    if (!info) throw new edits.EditError(`Unknown widget type ${type}`)
    const result = edits.addWidget(requireDocument(), info, at, edits.defaultSettings(info.settings_schema))
    commit(result.doc)
    return result.id
  }

  function applyGeometry(changes: Geometry[]): void {
    commit(edits.applyGeometry(requireDocument(), changes))
  }

  function updateSettings(id: string, settings: Record<string, unknown>): void {
    commit(edits.updateSettings(requireDocument(), id, settings))
  }

  function removeWidget(id: string): void {
    commit(edits.removeWidget(requireDocument(), id))
  }

  function duplicateWidget(id: string): string {
    const result = edits.duplicateWidget(requireDocument(), id)
    commit(result.doc)
    return result.id
  }

  function undo(): void {
    const doc = document.value
    if (!doc || !sync) return
    const widgets = undoStack.undo(doc.widgets)
    if (!widgets) return
    undoTick.value++
    sync.edit({ ...doc, widgets })
  }

  function redo(): void {
    const doc = document.value
    if (!doc || !sync) return
    const widgets = undoStack.redo(doc.widgets)
    if (!widgets) return
    undoTick.value++
    sync.edit({ ...doc, widgets })
  }

  function clearUndo(): void {
    undoStack.clear()
    undoTick.value++
  }

  function setEditing(value: boolean): void {
    editing.value = value && useAuthStore().canEdit
    // Leaving edit mode settles a remote change that waited for it.
    if (!editing.value && remotePending.value) sync?.mergeRemote()
  }

  /** A version saved elsewhere (realtime `layout.updated`). */
  function applyRemote(remote: LayoutDocument): void {
    sync?.applyRemote(remote)
  }

  /** Read the server's version after missed events; in edit mode it waits for a choice. */
  function refetch(): Promise<void> {
    return sync?.refetch() ?? Promise.resolve()
  }

  /** Merge the remote version that waited while editing into the local edits. */
  function mergeRemote(): void {
    sync?.mergeRemote()
  }

  /** Drop the local unsaved edits in favour of the remote version that waited. */
  function discardLocal(): void {
    sync?.discardLocal()
  }

  function resolveConflict(choice: 'mine' | 'theirs' | 'copy'): void {
    sync?.resolveConflict(choice)
  }

  /** Send pending edits now (leaving the page, tests). */
  function flush(): Promise<void> {
    return sync?.flush() ?? Promise.resolve()
  }

  /** The server changed the layout for us (restore from history): show it. */
  function replaceFromServer(doc: LayoutDocument): void {
    sync?.adoptOwn(doc)
  }

  function hasUnsavedChanges(): boolean {
    return sync?.hasUnsavedChanges ?? false
  }

  function online(): void {
    sync?.online()
  }

  function offline(): void {
    sync?.offline()
  }

  /** Forget everything of the signed-out person (unsent edits stay in storage for next time). */
  function reset(): void {
    sync?.dispose()
    sync = null
    syncOwner = null
    document.value = null
    catalogue.value = []
    catalogueSettled.value = false
    editing.value = false
    saveStatus.value = 'saved'
    conflict.value = null
    remotePending.value = null
    remoteChanges.value = new Map()
    lastError.value = null
    loadError.value = null
    clearUndo()
  }

  return {
    document,
    catalogue,
    catalogueSettled,
    editing,
    saveStatus,
    conflict,
    remotePending,
    remoteChanges,
    loading,
    loadError,
    lastError,
    canUndo,
    canRedo,
    catalogueEntry,
    loadCatalogue,
    load,
    addWidget,
    applyGeometry,
    updateSettings,
    removeWidget,
    duplicateWidget,
    undo,
    redo,
    setEditing,
    applyRemote,
    refetch,
    mergeRemote,
    discardLocal,
    resolveConflict,
    flush,
    replaceFromServer,
    hasUnsavedChanges,
    online,
    offline,
    reset,
  }
})

import { computed, ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import { api } from '@/api'
import * as edits from './state/edits'
import { UndoStack } from './state/undoStack'
import type {
  Geometry,
  LayoutConflict,
  LayoutDocument,
  Placement,
  SaveStatus,
  WidgetTypeInfo,
} from './state/types'

/**
 * The dashboard's layout: the one place the canvas, gallery, settings editor and history read
 * and change it. Edits apply at once (store + localStorage) and are saved in the background.
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
  const undoStack = new UndoStack()
  const undoTick = ref(0) // the stack is plain; bump to recompute canUndo/canRedo
  const canUndo = computed(() => (undoTick.value, undoStack.canUndo))
  const canRedo = computed(() => (undoTick.value, undoStack.canRedo))

  function catalogueEntry(type: string): WidgetTypeInfo | undefined {
    return catalogue.value.find((entry) => entry.type === type)
  }

  function commit(next: LayoutDocument): void {
    const current = document.value
    if (!current || next === current) return
    undoStack.record(current.widgets)
    undoTick.value++
    document.value = next
  }

  async function load(): Promise<void> {
    loading.value = true
    loadError.value = null
    try {
      const [types, layout] = await Promise.all([
        api.get<WidgetTypeInfo[]>('/api/widgets'),
        api.get<LayoutDocument>('/api/layout/me'),
      ])
      catalogue.value = types
      document.value = layout
    } catch (error) {
      loadError.value = error instanceof Error ? error.message : String(error)
    } finally {
      loading.value = false
    }
  }

  function addWidget(type: string, at?: Placement): string {
    const doc = requireDocument()
    const info = catalogueEntry(type)
    if (!info) throw new edits.EditError(`Unknown widget type ${type}`)
    const result = edits.addWidget(doc, info, at)
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
    if (!doc) return
    const widgets = undoStack.undo(doc.widgets)
    if (!widgets) return
    undoTick.value++
    document.value = { ...doc, widgets }
  }

  function redo(): void {
    const doc = document.value
    if (!doc) return
    const widgets = undoStack.redo(doc.widgets)
    if (!widgets) return
    undoTick.value++
    document.value = { ...doc, widgets }
  }

  function setEditing(value: boolean): void {
    editing.value = value
  }

  function applyRemote(remote: LayoutDocument): void {
    const doc = document.value
    if (doc && remote.version <= doc.version) return
    document.value = remote
  }

  function resolveConflict(choice: 'mine' | 'theirs' | 'copy'): void {
    const current = conflict.value
    if (!current) return
    document.value = choice === 'theirs' ? current.theirs : current.mine
    conflict.value = null
  }

  function requireDocument(): LayoutDocument {
    if (!document.value) throw new edits.EditError('The layout is not loaded yet')
    return document.value
  }

  return {
    document,
    catalogue,
    editing,
    saveStatus,
    conflict,
    remotePending,
    loading,
    loadError,
    lastError,
    canUndo,
    canRedo,
    catalogueEntry,
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
    resolveConflict,
  }
})

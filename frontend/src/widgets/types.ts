import type { Component } from 'vue'
import type { WidgetPlacement } from '@/features/dashboard/state/types'

/** How a widget type shows itself on the canvas; each widget folder exports one (index.ts). */
export interface WidgetDefinition {
  type: string
  /** Loaded when a widget of this type first appears, so the first screen stays small. */
  component: () => Promise<Component | { default: Component }>
}

/** The props every widget component receives. */
export interface WidgetProps {
  widget: WidgetPlacement
  editing: boolean
}

/** Typed identity helper for a widget folder's index.ts. */
export function defineWidget(definition: WidgetDefinition): WidgetDefinition {
  return definition
}

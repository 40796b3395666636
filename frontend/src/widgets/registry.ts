/**
 * The widget registry: type → definition. Each folder under src/widgets defines itself in its
 * index.ts (as Directus panels do), so adding a widget never touches the canvas.
 */
import type { WidgetDefinition } from './types'

const modules = import.meta.glob<{ default: WidgetDefinition }>('./*/index.ts', { eager: true })

const definitions = new Map<string, WidgetDefinition>(
  Object.values(modules).map((module) => [module.default.type, module.default]),
)

export function widgetDefinition(type: string): WidgetDefinition | undefined {
  return definitions.get(type)
}

export function registeredTypes(): string[] {
  return [...definitions.keys()]
}

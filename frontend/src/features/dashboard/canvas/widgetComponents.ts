/** One async component per widget type, created once, so re-renders never reload a widget. */
import { defineAsyncComponent, type Component } from 'vue'
import { widgetDefinition } from '@/widgets/registry'
import UnknownWidget from './UnknownWidget.vue'

const cache = new Map<string, Component>()

export function widgetComponent(type: string): Component {
  let component = cache.get(type)
  if (!component) {
    const definition = widgetDefinition(type)
    component = definition ? defineAsyncComponent({ loader: definition.component, delay: 100 }) : UnknownWidget
    cache.set(type, component)
  }
  return component
}

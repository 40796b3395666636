import { defineWidget } from '../types'

// The component loads chart.js itself, lazily (ChartCanvas.vue), only once it has figures to draw.
export default defineWidget({ type: 'chart', component: () => import('./Widget.vue') })

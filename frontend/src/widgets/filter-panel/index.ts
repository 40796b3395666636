import { defineWidget } from '../types'

export default defineWidget({ type: 'filter-panel', component: () => import('./Widget.vue') })

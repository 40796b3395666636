import { defineWidget } from '../types'

export default defineWidget({ type: 'kpi', component: () => import('./Widget.vue') })

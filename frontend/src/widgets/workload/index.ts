import { defineWidget } from '../types'

export default defineWidget({ type: 'workload', component: () => import('./Widget.vue') })

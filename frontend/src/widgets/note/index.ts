import { defineWidget } from '../types'

export default defineWidget({ type: 'note', component: () => import('./Widget.vue') })

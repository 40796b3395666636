import { definePlugin } from '@deskboard/sdk'
import HeatMap from './HeatMap.vue'

export default definePlugin({
  pluginApi: '>=1,<2',
  widgets: { 'ticket-heatmap': HeatMap },
})

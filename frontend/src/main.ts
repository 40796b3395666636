import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './app/router'
import './styles/index.css'
import './shared/theme'

const app = createApp(App)
app.use(createPinia())
app.use(router)
app.mount('#app')

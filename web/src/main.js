import { createApp } from 'vue'
import { createPinia } from 'pinia'
import {
  ElAlert, ElAvatar, ElBreadcrumb, ElBreadcrumbItem, ElButton, ElCard, ElCheckbox, ElCheckboxGroup,
  ElCol, ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDrawer, ElDropdown, ElDropdownItem,
  ElDropdownMenu, ElEmpty, ElForm, ElFormItem, ElIcon, ElInput, ElInputNumber, ElLoading, ElMenu, ElMenuItem,
  ElMessage, ElOption, ElPagination, ElProgress, ElRadio, ElRadioGroup, ElResult, ElRow, ElScrollbar, ElSelect,
  ElSubMenu, ElTabPane, ElTable, ElTableColumn, ElTabs, ElTag, ElTimeline, ElTimelineItem, ElTooltip, ElTree,
  ElTreeSelect, ElUpload, provideGlobalConfig,
} from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import {
  ArrowDown, Avatar, Close, Document, Expand, Fold, HomeFilled, House, Key, Location, Medal, Notebook,
  OfficeBuilding, Setting, User, WarningFilled,
} from '@element-plus/icons-vue'
import 'dayjs/locale/zh-cn'
import dayjs from 'dayjs'
import './styles/element.js'
import './styles/index.css'

import App from './App.vue'
import router from './router'
import { setUnauthorizedHandler } from './api/http'
import { useSessionStore } from './stores/session'
import { useAppStore } from './stores/app'

dayjs.locale('zh-cn')

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(router)
// Only the Element Plus components the pages use, so the bundle carries no others.
for (const c of [
  ElAlert, ElAvatar, ElBreadcrumb, ElBreadcrumbItem, ElButton, ElCard, ElCheckbox, ElCheckboxGroup,
  ElCol, ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDrawer, ElDropdown, ElDropdownItem,
  ElDropdownMenu, ElEmpty, ElForm, ElFormItem, ElIcon, ElInput, ElInputNumber, ElLoading, ElMenu, ElMenuItem,
  ElOption, ElPagination, ElProgress, ElRadio, ElRadioGroup, ElResult, ElRow, ElScrollbar, ElSelect, ElSubMenu,
  ElTabPane, ElTable, ElTableColumn, ElTabs, ElTag, ElTimeline, ElTimelineItem, ElTooltip, ElTree, ElTreeSelect,
  ElUpload,
]) {
  app.use(c)
}
provideGlobalConfig({ locale: zhCn }, app, true)
// Icons used by name in templates and in the menu / dashboard tables (others are imported where used).
const ICONS = {
  ArrowDown, Avatar, Close, Document, Expand, Fold, HomeFilled, House, Key, Location, Medal, Notebook,
  OfficeBuilding, Setting, User, WarningFilled,
}
for (const [name, component] of Object.entries(ICONS)) app.component(name, component)

// 401 anywhere (session expired, logged out elsewhere): back to the log-in page, once.
// 403 password_change_required: straight to the change-password page.
setUnauthorizedHandler((err) => {
  const session = useSessionStore()
  if (err.code === 'password_change_required') {
    session.mustChangePassword = true
    if (router.currentRoute.value.path !== '/password') router.replace('/password')
    return
  }
  if (!session.loggedIn) return
  session.clear()
  useAppStore().resetTabs()
  ElMessage.warning(err.message || '登录状态已失效，请重新登录')
  const here = router.currentRoute.value.fullPath
  router.replace({ path: '/login', query: here && here !== '/login' ? { redirect: here } : {} })
})

app.mount('#app')

// Layout state: sidebar collapsed or not, phone width (sidebar becomes a drawer), open tabs.
import { defineStore } from 'pinia'

const MOBILE_WIDTH = 992
const TABS_KEY = 'sy.tabs'

// Open tabs survive a page reload (sessionStorage: this browser tab only, gone at log-out).
function loadTabs() {
  try {
    const v = JSON.parse(sessionStorage.getItem(TABS_KEY) || '[]')
    return Array.isArray(v) ? v.filter((t) => t && typeof t.path === 'string' && typeof t.title === 'string') : []
  } catch {
    return []
  }
}
function saveTabs(tabs) {
  try {
    sessionStorage.setItem(TABS_KEY, JSON.stringify(tabs))
  } catch {
    // storage full or disabled: tabs just will not survive a reload
  }
}

export const useAppStore = defineStore('app', {
  state: () => ({
    collapsed: localStorage.getItem('sy.sidebarCollapsed') === '1',
    isMobile: typeof window !== 'undefined' && window.innerWidth < MOBILE_WIDTH,
    drawerOpen: false,
    tabs: loadTabs(), // { path, fullPath, title, name, affix }
  }),
  getters: {
    cachedNames: (s) => s.tabs.filter((t) => t.name).map((t) => t.name),
  },
  actions: {
    toggleSidebar() {
      if (this.isMobile) {
        this.drawerOpen = !this.drawerOpen
      } else {
        this.collapsed = !this.collapsed
        localStorage.setItem('sy.sidebarCollapsed', this.collapsed ? '1' : '0')
      }
    },
    onResize() {
      this.isMobile = window.innerWidth < MOBILE_WIDTH
      if (!this.isMobile) this.drawerOpen = false
    },
    /** Records a visited route as a tab; `home` (the 首页 tab, when allowed) is kept first. */
    addTab(route, home) {
      if (home && !this.tabs.some((t) => t.path === home.path)) this.tabs.unshift({ ...home })
      if (route.meta && route.meta.title && !route.meta.noTab) {
        const existing = this.tabs.find((t) => t.path === route.path)
        if (existing) existing.fullPath = route.fullPath
        else {
          this.tabs.push({
            path: route.path,
            fullPath: route.fullPath,
            title: route.meta.title,
            name: route.meta.cacheName || null,
            affix: !!route.meta.affix,
          })
        }
      }
      saveTabs(this.tabs)
    },
    /** Renames an open tab (a person's page shows the person's name once loaded). */
    setTabTitle(path, title) {
      const tab = this.tabs.find((t) => t.path === path)
      if (tab && title && tab.title !== title) {
        tab.title = title
        saveTabs(this.tabs)
      }
    },
    /** Closes one tab; returns the tab to show next when the closed one was active. */
    closeTab(path) {
      const i = this.tabs.findIndex((t) => t.path === path)
      if (i < 0 || this.tabs[i].affix) return null
      this.tabs.splice(i, 1)
      saveTabs(this.tabs)
      return this.tabs[Math.min(i, this.tabs.length - 1)] || null
    },
    closeOthers(path) {
      this.tabs = this.tabs.filter((t) => t.affix || t.path === path)
      saveTabs(this.tabs)
    },
    closeAll() {
      this.tabs = this.tabs.filter((t) => t.affix)
      saveTabs(this.tabs)
    },
    resetTabs() {
      this.tabs = []
      saveTabs(this.tabs)
    },
  },
})

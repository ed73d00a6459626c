// Who is logged in: user, permissions, region and the CSRF token for non-GET calls.
import { defineStore } from 'pinia'
import { sessionApi } from '@/api'
import { setCsrfToken } from '@/api/http'

export const useSessionStore = defineStore('session', {
  state: () => ({
    loaded: false, // GET /me has been tried since the page loaded
    user: null,
    permissions: [],
    region: null,
    csrfToken: '',
    mustChangePassword: false,
  }),
  getters: {
    loggedIn: (s) => !!s.user,
    displayName: (s) => (s.user ? s.user.display_name || s.user.username : ''),
    roleNames: (s) => (s.user && s.user.role_names ? s.user.role_names.join('、') : ''),
    regionName: (s) => (s.region ? s.region.name : s.user ? s.user.region_name || '' : ''),
  },
  actions: {
    has(perm) {
      if (!perm) return true
      return this.permissions.includes(perm)
    },
    setToken(token) {
      this.csrfToken = token || ''
      setCsrfToken(this.csrfToken)
    },
    applyMe(me) {
      this.user = me.user
      this.permissions = me.permissions || []
      this.region = me.region || null
      if (me.csrf_token) this.setToken(me.csrf_token)
      this.mustChangePassword = !!(me.user && me.user.must_change_password)
    },
    /** Asks the server who we are (page reload). Resolves false when not logged in. */
    async fetchMe() {
      try {
        const me = await sessionApi.me()
        this.applyMe(me)
        return true
      } catch (e) {
        if (e.code === 'password_change_required' && this.user) {
          this.mustChangePassword = true
          return true
        }
        if (e.status === 401) this.clear()
        return false
      } finally {
        this.loaded = true
      }
    },
    async login(username, password) {
      const res = await sessionApi.login(username, password)
      this.user = res.user
      this.setToken(res.csrf_token)
      this.mustChangePassword = !!res.must_change_password
      this.loaded = true
      // Permissions and region come from /me; while a password change is pending the server may
      // refuse it, which is fine: the change-password page needs neither.
      try {
        const me = await sessionApi.me()
        this.applyMe(me)
        if (res.must_change_password) this.mustChangePassword = true
      } catch (e) {
        if (e.code !== 'password_change_required') throw e
        this.mustChangePassword = true
      }
      return res
    },
    async logout() {
      try {
        await sessionApi.logout()
      } finally {
        this.clear()
      }
    },
    clear() {
      this.user = null
      this.permissions = []
      this.region = null
      this.mustChangePassword = false
      this.setToken('')
      this.loaded = true
    },
  },
})

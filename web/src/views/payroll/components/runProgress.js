// Polls GET /payroll-progress/{token} while a run is computed (POST /payroll-runs or …/recompute
// with `progress: token`), so the page can show persons processed of the total and the phase.
import { onBeforeUnmount, reactive } from 'vue'
import { payrollRunApi } from '@/api'

export function newProgressToken() {
  return `p${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`
}

export function useRunProgress(intervalMs = 400) {
  const state = reactive({ active: false, phase: '', phaseName: '', done: 0, total: 0, percent: 0 })
  let timer = 0
  let token = ''

  async function poll() {
    const mine = token
    try {
      const p = await payrollRunApi.progress(mine)
      if (mine !== token || !state.active) return
      state.phase = p.phase
      state.phaseName = p.phase_name
      state.done = p.done
      state.total = p.total
      state.percent = p.percent
    } catch {
      // not started yet (the server answers once the computation has begun), or gone: keep the last
    }
  }
  /** Starts polling; returns the token to send with the request. */
  function start() {
    stop()
    token = newProgressToken()
    Object.assign(state, { active: true, phase: 'prepare', phaseName: '准备', done: 0, total: 0, percent: 0 })
    timer = setInterval(poll, intervalMs)
    return token
  }
  function stop() {
    clearInterval(timer)
    timer = 0
    token = ''
    state.active = false
  }
  onBeforeUnmount(stop)
  return { state, start, stop }
}

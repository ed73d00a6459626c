// Display helpers of 结对帮扶: tag colours, money typed in yuan → fen without floating point.
import { yuan } from '@/utils/format'

export const PAIR_STATUS_TYPES = { active: 'primary', closed: 'success' }
export const PROJECT_TYPES = {
  industry: 'success',
  employment: 'primary',
  education: 'warning',
  medical: 'danger',
  housing: 'info',
  other: 'info',
}
export const INPUT_KIND_TYPES = { funds: 'danger', labour: 'warning', technical: 'primary' }

/** "1,234.5" / "1234.56" / "12" → fen (integer), '' → null, anything else → NaN. */
export function yuanToFen(text) {
  if (text === null || text === undefined) return null
  const s = String(text).replace(/[,，\s]/g, '')
  if (s === '') return null
  const m = /^(-?)(\d{1,12})(?:\.(\d{0,2}))?$/.exec(s)
  if (!m) return NaN
  const fen = Number(m[2]) * 100 + Number((m[3] || '').padEnd(2, '0'))
  return m[1] ? -fen : fen
}

/** Fen → "1.2万元" for big totals on cards, "8,500.00元" below ten thousand yuan. */
export function yuanShort(fen) {
  if (fen === null || fen === undefined) return '—'
  const y = fen / 100
  if (Math.abs(y) >= 10000) return `${(y / 10000).toFixed(2).replace(/\.?0+$/, '')}万元`
  return `${yuan(fen)}元`
}

export function today() {
  const d = new Date()
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

/** The error a form shows beside a field, or as a banner when the field is not in the form. */
export function placeError(e, errors, known) {
  if (e && e.field && known.includes(e.field)) {
    errors[e.field] = e.message
    return ''
  }
  return (e && e.message) || '保存失败'
}

/** A field's "please fill in" error goes as soon as the field gets a value (an error from an
 * empty submit otherwise stays until the field loses focus). Call inside setup. */
export function clearWhenFilled(watch, formRef, form) {
  watch(
    () => ({ ...form }),
    (now, old) => {
      for (const k of Object.keys(now)) {
        if (now[k] !== old[k] && now[k] !== '' && now[k] !== null && formRef.value) formRef.value.clearValidate(k)
      }
    },
  )
}

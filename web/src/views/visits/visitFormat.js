// Codes of 走访慰问 (/work/contract-visits.md) with their labels and tag colours. The server sends
// the Chinese name beside each code; these are for filters and for building forms.

export const OCCASIONS = [
  { code: 'spring_festival', name: '春节', type: 'danger' },
  { code: 'army_day', name: '八一', type: 'success' },
  { code: 'support_month', name: '双拥月', type: 'warning' },
  { code: 'other', name: '其他', type: 'info' },
]
export const CAMPAIGN_STATUS = {
  draft: { label: '草稿', type: 'info' },
  active: { label: '进行中', type: 'primary' },
  closed: { label: '已结束', type: 'success' },
}
export const UNITS = [
  { code: 'household', name: '按户' },
  { code: 'person', name: '按人' },
]
export const TARGET_STATUS = {
  pending: { label: '未走访', type: 'info' },
  visited: { label: '已走访', type: 'success' },
  not_home: { label: '不在家', type: 'warning' },
  moved: { label: '已搬迁', type: 'warning' },
  declined: { label: '谢绝', type: 'danger' },
}
export const OUTCOMES = [
  { code: 'visited', name: '已走访' },
  { code: 'not_home', name: '不在家' },
  { code: 'moved', name: '已搬迁' },
  { code: 'declined', name: '谢绝' },
]
export const FLAGS = [
  { code: 'dibao', name: '低保' },
  { code: 'tekun', name: '特困' },
  { code: 'kongchao', name: '空巢' },
]

export function occasionType(code) {
  return (OCCASIONS.find((o) => o.code === code) || {}).type || 'info'
}
export function campaignStatusType(code) {
  return (CAMPAIGN_STATUS[code] || {}).type || 'info'
}
export function targetStatusType(code) {
  return (TARGET_STATUS[code] || {}).type || 'info'
}

/** 0.3333 → "33.3%". */
export function percent(x) {
  const n = Number(x)
  if (!Number.isFinite(n)) return '0%'
  const p = Math.round(n * 1000) / 10
  return `${Number.isInteger(p) ? p : p.toFixed(1)}%`
}
/** Progress-bar value 0–100 for el-progress. */
export function percentValue(x) {
  const n = Number(x)
  return Number.isFinite(n) ? Math.max(0, Math.min(100, Math.round(n * 1000) / 10)) : 0
}

/** Yuan as typed (a number, up to 2 decimals) → integer fen; '' or null → 0. */
export function toFen(yuanValue) {
  if (yuanValue === null || yuanValue === undefined || yuanValue === '') return 0
  return Math.round(Number(yuanValue) * 100)
}
export function toYuan(fen) {
  if (fen === null || fen === undefined) return null
  return Number(fen) / 100
}

export function todayText() {
  const d = new Date()
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

/** "2027-01-15" "2027-02-10" → "2027-01-15 至 2027-02-10". */
export function periodText(c) {
  if (!c) return ''
  return c.starts_on && c.ends_on ? `${c.starts_on} 至 ${c.ends_on}` : c.starts_on || c.ends_on || ''
}

/** Who is to visit a target: the cadre, else the department, plus the leader for key households. */
export function assigneeText(t) {
  if (!t) return ''
  const who = [t.assignee && t.assignee.display_name, t.department].filter(Boolean).join(' · ')
  return who
}

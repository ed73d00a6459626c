// Labels and badge colours for cases. The server sends the Chinese labels beside every code
// (status_name, state_name, …); these tables only pick the colour and fill the search selects.
export const CASE_KINDS = [
  { code: 'rights', name: '涉军维权', path: '/cases/rights', prefix: 'WQ' },
  { code: 'unit_request', name: '部队诉求', path: '/cases/unit-request', prefix: 'BD' },
  { code: 'hardship', name: '困难诉求', path: '/cases/hardship', prefix: 'KN' },
  { code: 'hazard', name: '安全隐患', path: '/cases/hazard', prefix: 'YH' },
]

export function kindPath(kind) {
  return (CASE_KINDS.find((k) => k.code === kind) || CASE_KINDS[0]).path
}

export const CASE_STATUS = {
  registered: { label: '已登记', type: 'info' },
  accepted: { label: '已受理', type: 'primary' },
  in_progress: { label: '办理中', type: 'warning' },
  resolved: { label: '已办结', type: 'success' },
  closed: { label: '已回访', type: 'success' },
  rejected: { label: '不予受理', type: 'info' },
  rectifying: { label: '整改中', type: 'warning' },
  reviewing: { label: '待复查', type: 'primary' },
}

export const HAZARD_STATUS = {
  registered: '已登记',
  rectifying: '整改中',
  reviewing: '待复查',
  closed: '已销号',
}

export function statusOptions(kind) {
  if (kind === 'hazard') return Object.entries(HAZARD_STATUS).map(([code, label]) => ({ code, label }))
  return ['registered', 'accepted', 'in_progress', 'resolved', 'closed', 'rejected'].map((code) => ({
    code,
    label: CASE_STATUS[code].label,
  }))
}

export function statusType(status) {
  return (CASE_STATUS[status] || {}).type || 'info'
}

export const DEADLINE_STATES = {
  normal: { label: '正常', type: 'success' },
  due_soon: { label: '临期', type: 'warning' },
  overdue: { label: '逾期', type: 'danger' },
}

export function deadlineType(state) {
  return (DEADLINE_STATES[state] || {}).type || 'info'
}

/** "剩 3 个工作日" / "今日到期" / "逾期 2 个工作日". */
export function daysLeftText(d) {
  if (!d) return ''
  if (d.days_left > 0) return `剩 ${d.days_left} 个工作日`
  if (d.days_left === 0) return '今日到期'
  return `逾期 ${-d.days_left} 个工作日`
}

export function applicantText(a) {
  if (!a) return '—'
  if (a.type === 'unit') return [a.unit, a.name].filter(Boolean).join(' · ') || '—'
  return a.name || '—'
}

export function fileSize(n) {
  if (n == null) return ''
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

// One function per route of docs/API.md, grouped by area.
import { http, download, upload } from './http'

export const sessionApi = {
  login: (username, password) =>
    http.post('/session', { username, password }, { silent: true, auth401: false }),
  logout: () => http.del('/session', { silent: true, auth401: false }),
  me: () => http.get('/me', null, { silent: true, auth401: false }),
  changePassword: (old_password, new_password) =>
    http.post('/me/password', { old_password, new_password }, { silent: true }),
}

export const dashboardApi = {
  get: () => http.get('/dashboard'),
}

export const regionApi = {
  own: () => http.get('/regions', { size: 200 }),
  children: (parent, page = 1, size = 200) => http.get('/regions', { parent, page, size }),
  search: (q, page = 1, size = 20) => http.get('/regions', { q, page, size }),
  get: (code) => http.get(`/regions/${encodeURIComponent(code)}`),
  /** All children of a node, following pages when there are more than 200. */
  async allChildren(parent) {
    const items = []
    for (let page = 1; page <= 50; page++) {
      const res = await regionApi.children(parent, page, 200)
      items.push(...(res.items || []))
      if (!res.items || res.items.length === 0 || items.length >= (res.total ?? items.length)) break
    }
    return items
  },
}

export const userApi = {
  list: (query) => http.get('/users', query),
  get: (id) => http.get(`/users/${id}`),
  create: (body) => http.post('/users', body),
  update: (id, body) => http.patch(`/users/${id}`, body),
  disable: (id, reason, version) => http.post(`/users/${id}/disable`, { reason, version }),
  enable: (id, version) => http.post(`/users/${id}/enable`, { version }),
  resetPassword: (id, new_password) => http.post(`/users/${id}/password`, { new_password }),
  setRoles: (id, roles, version) => http.put(`/users/${id}/roles`, { roles, version }),
  unlock: (id) => http.post(`/users/${id}/unlock`),
}

export const roleApi = {
  list: () => http.get('/roles'),
  update: (code, permissions, version) =>
    http.put(`/roles/${encodeURIComponent(code)}`, { permissions, version }),
  permissions: () => http.get('/permissions'),
}

export const settingsApi = {
  get: () => http.get('/settings'),
  fields: () => http.get('/settings/fields'),
  update: (changes) => http.put('/settings', changes, { silent: true }),
}

export const auditApi = {
  list: (query) => http.get('/audit', query),
  exportXlsx: (query) => download('/audit/export', query, '审计日志.xlsx'),
}

export const personApi = {
  list: (query) => http.get('/persons', query),
  get: (id, opts) => http.get(`/persons/${id}`, null, opts),
  /** Create and update show the server's error beside its field, so no pop-up here. */
  create: (body) => http.post('/persons', body, { silent: true }),
  update: (id, body) => http.put(`/persons/${id}`, body, { silent: true }),
  setStatus: (id, body) => http.post(`/persons/${id}/status`, body, { silent: true }),
  history: (id) => http.get(`/persons/${id}/history`),
  /** field: id_number | bank_account | phone → { field, value } (needs sensitive:reveal; audited). */
  reveal: (id, field) => http.post(`/persons/${id}/reveal`, { field }),
  /** Roster upload: file, dry run or not, optional town (the server uses the caller's own township). */
  importFile(file, { dryRun = false, town = '', onProgress } = {}) {
    const form = new FormData()
    form.append('file', file, file.name)
    form.append('dry_run', dryRun ? '1' : '0')
    if (town) form.append('town', town)
    return upload('/persons/import', form, { onProgress, silent: true })
  },
  exportXlsx: (query) => download('/persons/export', query, '优抚对象.xlsx'),
  template: () => download('/persons/template', null, '优抚对象导入模板.xlsx'),
}

export const householdApi = {
  list: (query) => http.get('/households', query),
  get: (id, opts) => http.get(`/households/${id}`, null, opts),
  update: (id, body) => http.put(`/households/${id}`, body, { silent: true }),
  /** Moves a person (at their version) into household `id`; the dialog shows the server's message. */
  join: (id, personId, version) => http.post(`/households/${id}/members`, { person_id: personId, version }, { silent: true }),
  /** Makes a member the head of household `id` (at the household's version). */
  setHead: (id, personId, version) => http.post(`/households/${id}/head`, { person_id: personId, version }, { silent: true }),
  /** Moves a person (at their version) out into a household of their own. */
  split: (personId, version) => http.post(`/persons/${personId}/household/split`, { version }, { silent: true }),
}

// ---- 抚恤补助发放: 待遇标准, 发放规则, 发放批次, 生存认证
import { API_BASE } from './http'

function uploadForm(path, file, fields = {}, onProgress) {
  const form = new FormData()
  form.append('file', file, file.name)
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  return upload(path, form, { onProgress, silent: true })
}

export const standardApi = {
  items: () => http.get('/benefit-items'),
  /** query: item, category, history (1 = with the rows a correction replaced). */
  list: (query) => http.get('/standards', query),
  /** Forms show the server's error beside its field (error.field is the JSON key, e.g. amount; the message starts with the column, 标准(元)：…). */
  create: (body) => http.post('/standards', body, { silent: true }),
  correct: (id, body) => http.post(`/standards/${id}/correct`, body, { silent: true }),
  importFile: (file, { dryRun = false, onProgress } = {}) =>
    uploadForm('/standards/import', file, { dry_run: dryRun ? '1' : '0' }, onProgress),
  exportXlsx: (query) => download('/standards/export', query, '待遇标准.xlsx'),
  /** split: { central, province, city, county } in whole percent (sum 100), or null to clear. */
  setFunding: (code, split) => http.put(`/benefit-items/${code}/funding`, { funding: split }, { silent: true }),
}

export const payrollRulesApi = {
  get: () => http.get('/payroll-rules'),
  update: (changes) => http.put('/payroll-rules', changes, { silent: true }),
}

export const payrollRunApi = {
  list: (query) => http.get('/payroll-runs', query),
  get: (id, opts) => http.get(`/payroll-runs/${id}`, null, opts),
  /** { month: 'YYYY-MM', items: [], progress? } — empty items: every monthly item with a standard;
   *  progress: a token to poll with progress() while the run is computed. */
  create: (body) => http.post('/payroll-runs', body, { silent: true }),
  recompute: (id, version, progress) => http.post(`/payroll-runs/${id}/recompute`, { version, progress }, { silent: true }),
  /** { phase, phase_name, done, total, percent, run_id, message } of a computation started with the token. */
  progress: (token) => http.get(`/payroll-progress/${token}`, null, { silent: true }),
  discard: (id, version) => http.post(`/payroll-runs/${id}/discard`, { version }, { silent: true }),
  approve: (id, version) => http.post(`/payroll-runs/${id}/approve`, { version }, { silent: true }),
  /** query: exceptions (1), kind, bank (paid | failed | none), q, page, size. */
  lines: (id, query) => http.get(`/payroll-runs/${id}/lines`, query),
  totals: (id) => http.get(`/payroll-runs/${id}/totals`),
  /** format: xlsx | csv ('' = the template's, else xlsx); template: a bank template's name from the rules. */
  bankFile: (id, { format = '', template = '' } = {}) =>
    download(`/payroll-runs/${id}/bank-file`, { format, template }, `银行代发文件.${format === 'csv' ? 'csv' : 'xlsx'}`),
  rosterXlsx: (id) => download(`/payroll-runs/${id}/roster`, null, '发放花名册.xlsx'),
  /** The printable 花名册, opened in a new browser tab (the session cookie goes with it). */
  rosterHtmlUrl: (id) => `${API_BASE}/payroll-runs/${id}/roster?format=html`,
  reconcile: (id, file, { onProgress } = {}) => uploadForm(`/payroll-runs/${id}/reconcile`, file, {}, onProgress),
  personPayments: (personId) => http.get(`/persons/${personId}/payments`),
}

export const proofOfLifeApi = {
  /** query: year, missing (1), page, size → { items, total, deadline, checked, missing }. */
  list: (query) => http.get('/proof-of-life', query),
  record: (body) => http.post('/proof-of-life', body, { silent: true }),
  importFile: (file, { onProgress } = {}) => uploadForm('/proof-of-life/import', file, {}, onProgress),
}

// ---- 涉军维权与诉求台帐, 工作日历
export const caseApi = {
  kinds: () => http.get('/cases/kinds'),
  /** query: kind, status, deadline (normal | due_soon | overdue), category, region, handler, q, page, size. */
  list: (query) => http.get('/cases', query),
  get: (id, opts) => http.get(`/cases/${id}`, null, opts),
  /** Forms show the server's error beside its field. */
  create: (body) => http.post('/cases', body, { silent: true }),
  /** body always carries version; a stale one is 409 stale_version. */
  act: (id, action, body) => http.post(`/cases/${id}/actions/${action}`, body, { silent: true }),
  attach: (id, file, purpose = 'material', { onProgress } = {}) => {
    const form = new FormData()
    form.append('file', file, file.name)
    form.append('purpose', purpose)
    return upload(`/cases/${id}/attachments`, form, { onProgress, silent: true })
  },
  attachment: (id, aid, name) => download(`/cases/${id}/attachments/${aid}`, null, name || '附件'),
  exportXlsx: (query) => download('/cases/export', query, '诉求台帐.xlsx'),
  summary: () => http.get('/cases/summary'),
}

export const calendarApi = {
  years: () => http.get('/calendar'),
  get: (year, opts) => http.get(`/calendar/${year}`, null, opts),
  save: (year, body) => http.put(`/calendar/${year}`, body, { silent: true }),
}

export const assistanceApi = {
  codes: () => http.get('/assistance-pairs/codes'),
  /** query: status, project, helper_type, region, household_id, q, page, size. */
  list: (query) => http.get('/assistance-pairs', query),
  get: (id, opts) => http.get(`/assistance-pairs/${id}`, null, opts),
  summary: (query) => http.get('/assistance-pairs/summary', query),
  /** Forms show the server's error beside its field; writes carry the pair's version. */
  create: (body) => http.post('/assistance-pairs', body, { silent: true }),
  update: (id, body) => http.patch(`/assistance-pairs/${id}`, body, { silent: true }),
  addInput: (id, body) => http.post(`/assistance-pairs/${id}/inputs`, body, { silent: true }),
  addFollowUp: (id, body) => http.post(`/assistance-pairs/${id}/follow-ups`, body, { silent: true }),
  close: (id, body) => http.post(`/assistance-pairs/${id}/close`, body, { silent: true }),
}

// ---- 走访慰问 (/work/contract-visits.md: campaigns, their targets and assignments, visits)
export const campaignApi = {
  /** query: status, occasion, year, page, size. */
  list: (query) => http.get('/campaigns', query),
  get: (id, opts) => http.get(`/campaigns/${id}`, null, opts),
  /** Forms show the server's error beside its field. */
  create: (body) => http.post('/campaigns', body, { silent: true }),
  update: (id, body) => http.put(`/campaigns/${id}`, body, { silent: true }),
  generate: (id, version) => http.post(`/campaigns/${id}/generate`, { version }, { silent: true }),
  close: (id, version) => http.post(`/campaigns/${id}/close`, { version }, { silent: true }),
  append: (id, personIds, groupKey) => http.post(`/campaigns/${id}/append`, { person_ids: personIds, group_key: groupKey }, { silent: true }),
  /** query: region, status, group, assignee (me | none | user id), q, page, size. */
  targets: (id, query) => http.get(`/campaigns/${id}/targets`, query),
  /** body: { target_ids? | region_code?, user_id?, department?, leader? } → { assigned }. */
  assign: (id, body) => http.post(`/campaigns/${id}/assignments`, body, { silent: true }),
  /** Users who may be assigned targets in `region` (asked of the backend; absent on older servers). */
  assignees: (id, region) => http.get(`/campaigns/${id}/assignees`, { region }, { silent: true }),
  progress: (id) => http.get(`/campaigns/${id}/progress`),
  rosterXlsx: (id) => download(`/campaigns/${id}/roster`, null, '慰问名单.xlsx'),
  rosterHtmlUrl: (id) => `${API_BASE}/campaigns/${id}/roster?format=html`,
  signatureXlsx: (id) => download(`/campaigns/${id}/signature-sheet`, null, '签收表.xlsx'),
  signatureHtmlUrl: (id) => `${API_BASE}/campaigns/${id}/signature-sheet?format=html`,
}

export const visitApi = {
  /** 我的走访: targets assigned to the caller in running campaigns; query: status, page, size. */
  mine: (query) => http.get('/visits/mine', query),
  /** JSON body with photos as { file_name, content_base64 }; errors shown by the form. */
  create: (body) => http.post('/visits', body, { silent: true }),
  list: (query) => http.get('/visits', query),
  get: (id, opts) => http.get(`/visits/${id}`, null, opts),
  photoUrl: (id, photoId) => `${API_BASE}/visits/${id}/photos/${photoId}`,
}
